package io.kroute.workers;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with one queue record: decode it, call the tier's LLM, publish the response, or publish a dead
 * letter when the record is malformed or the LLM call fails for good. The returned future completes once the broker
 * has acknowledged the response or dead letter, which is what allows the record's offset to be committed.
 *
 * <p>A failed publish is retried (the answer, already paid for, is kept) until it succeeds or {@link #abandon()} is
 * called at shutdown; meanwhile the record stays in flight, so a broker outage fills the in-flight budget and pauses
 * the consumer rather than dropping answers.
 */
public final class PromptProcessor {

    static final String STAGE = "llm-workers";
    private static final Logger LOG = LoggerFactory.getLogger(PromptProcessor.class);
    private static final long PUBLISH_RETRY_INITIAL_MS = 500;
    private static final long PUBLISH_RETRY_MAX_MS = 30_000;

    private final Vertx vertx;
    private final Tier tier;
    private final String model;
    private final ChatClient client;
    private final PriceTable prices;
    private final ResultPublisher publisher;
    private final Clock clock;
    private volatile boolean abandoned;

    public PromptProcessor(
            Vertx vertx,
            Tier tier,
            String model,
            ChatClient client,
            PriceTable prices,
            ResultPublisher publisher,
            Clock clock) {
        this.vertx = vertx;
        this.tier = tier;
        this.model = model;
        this.client = client;
        this.prices = prices;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Processes one record. Succeeds once its response or dead letter is acknowledged; fails only if publishing was
     * abandoned, in which case the record must not be committed.
     */
    public Future<Void> process(QueueRecord record) {
        try {
            return decodeAndCall(record);
        } catch (RuntimeException e) {
            // a bug must not leave the record in flight for ever: keep it in the dead-letter topic instead
            LOG.error("unexpected error processing {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return publishUntilAcked(() -> publisher.publishDeadLetter(deadLetter(record, "unexpected error: " + e)));
        }
    }

    private Future<Void> decodeAndCall(QueueRecord record) {
        RoutedPrompt routed;
        try {
            routed = Codecs.ROUTED_PROMPT.decode(record.value());
        } catch (InvalidMessageException e) {
            LOG.warn(
                    "dead-lettering malformed record {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return publishUntilAcked(() -> publisher.publishDeadLetter(deadLetter(record, e.getMessage())));
        }
        PromptRequest request = routed.request();
        long start = System.nanoTime();
        return client.complete(model, request.messages(), request.maxTokens()).transform(call -> {
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (call.succeeded()) {
                LlmResponse response = response(routed, call.result(), latencyMs);
                return publishUntilAcked(() -> publisher
                        .publishResponse(response)
                        .recover(failure -> failure instanceof RecordTooLargeException
                                // retrying cannot help; keep the request, not the answer
                                ? publisher.publishDeadLetter(deadLetter(
                                        record, "response too large for the responses topic: " + failure.getMessage()))
                                : Future.failedFuture(failure)));
            }
            String reason = failureReason(call.cause());
            LOG.warn("dead-lettering request {}: {}", request.id(), reason);
            return publishUntilAcked(() -> publisher.publishDeadLetter(deadLetter(record, reason)));
        });
    }

    /** Stops retrying failed publishes; their records stay uncommitted and are read again after a restart. */
    public void abandon() {
        abandoned = true;
    }

    private LlmResponse response(RoutedPrompt routed, ChatResult result, long latencyMs) {
        PromptRequest request = routed.request();
        return new LlmResponse(
                request.id(),
                request.tenant(),
                tier,
                result.model() == null || result.model().isBlank() ? model : result.model(),
                result.text(),
                result.finishReason(),
                result.promptTokens(),
                result.completionTokens(),
                // priced by the model that was asked for: a provider may report a dated snapshot name instead
                prices.costUsd(model, result.promptTokens(), result.completionTokens()),
                latencyMs,
                result.attempts(),
                ResponseStatus.OK,
                routed.decision() == null ? null : routed.decision().routerVersion(),
                request.createdAt(),
                clock.millis());
    }

    private String failureReason(Throwable failure) {
        if (failure instanceof LlmCallException e) {
            return "LLM call to " + model + " failed after " + e.attempts() + " attempt(s)"
                    + (e.retryable() ? "" : " (not retryable)") + ": " + e.getMessage();
        }
        return "LLM call to " + model + " failed: " + failure;
    }

    private DeadLetter deadLetter(QueueRecord record, String reason) {
        return new DeadLetter(
                record.key(),
                record.value() == null ? "" : Base64.getEncoder().encodeToString(record.value()),
                record.topic(),
                record.partition(),
                record.offset(),
                STAGE,
                reason,
                clock.millis());
    }

    private Future<Void> publishUntilAcked(Supplier<Future<Void>> send) {
        Promise<Void> done = Promise.promise();
        attemptPublish(send, PUBLISH_RETRY_INITIAL_MS, done);
        return done.future();
    }

    private void attemptPublish(Supplier<Future<Void>> send, long backoffMs, Promise<Void> done) {
        Future<Void> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onSuccess(done::complete).onFailure(failure -> {
            if (abandoned) {
                done.fail(failure);
                return;
            }
            LOG.warn("publish failed, retrying in {} ms: {}", backoffMs, failure.toString());
            vertx.setTimer(backoffMs, id -> attemptPublish(send, Math.min(backoffMs * 2, PUBLISH_RETRY_MAX_MS), done));
        });
    }
}
