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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker does with one queue record: decode it, call the queue's provider, and turn the result into the record's
 * one {@link Outcome}. It publishes nothing: the queue loop writes outcomes and offsets in one transaction. The
 * response keeps the tier of the routing decision (with many models, {@code strong} for the most capable one and
 * {@code weak} for the others), whichever queue it came through.
 *
 * <ul>
 *   <li>a record larger than the worker could write: a dead letter at once, without a call (a worker takes in no
 *       more than it can write out);
 *   <li>malformed record: a dead letter with the decoder's reason;
 *   <li>non-retryable failure (400, 401, 404, context too long, unreadable answer): a dead letter with the provider's
 *       error, never a retry and never a fallback (the other model would be refused the same request);
 *   <li>the provider is unavailable (breaker open, or retries spent on 429/5xx/timeouts/dropped connections): the
 *       fallback queue's provider answers if the queue has one, the response says {@code status: fallback}, its model
 *       is the one that answered and its cost is that model's price of that answer (failed attempts are not billed by
 *       providers); without a fallback, or if it fails too, a dead letter with both errors;
 *   <li>an answer too large for the responses topic: a dead letter (retrying cannot help).
 * </ul>
 *
 * A call that has no other provider to turn to (a queue without fallback, or the fallback call itself) waits while its
 * provider's breaker is open, trying again every second for up to {@code BREAKER_WAIT_MS}: the record stays in flight,
 * so a provider that is down fills {@code max_in_flight} and pauses the queue instead of dead-lettering it.
 *
 * The returned future never fails.
 */
public final class PromptProcessor {

    static final String STAGE = "llm-workers";
    private static final Logger LOG = LoggerFactory.getLogger(PromptProcessor.class);
    static final long BREAKER_WAIT_MS = 300_000;
    private static final long BREAKER_RETRY_MS = 1_000;

    private final String queue;
    private final String model;
    private final ChatClient client;
    private final String fallbackModel;
    private final ChatClient fallbackClient;
    private final PriceTable prices;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final int maxRecordBytes;
    private final Vertx vertx;

    /**
     * @param queue the queue's name, which labels the meters
     * @param model the queue's model, asked by {@code client}
     * @param fallbackModel the fallback queue's model, asked by {@code fallbackClient}; both null without a fallback
     */
    public PromptProcessor(
            Vertx vertx,
            String queue,
            String model,
            ChatClient client,
            String fallbackModel,
            ChatClient fallbackClient,
            PriceTable prices,
            WorkerMetrics metrics,
            Clock clock,
            int maxRecordBytes) {
        this.queue = queue;
        this.model = model;
        this.client = client;
        this.fallbackModel = fallbackModel;
        this.fallbackClient = fallbackClient;
        this.prices = prices;
        this.metrics = metrics;
        this.clock = clock;
        this.maxRecordBytes = maxRecordBytes;
        this.vertx = vertx;
    }

    /** For a tier's queue, named after the tier. */
    public PromptProcessor(
            Vertx vertx,
            Tier tier,
            String model,
            ChatClient client,
            String fallbackModel,
            ChatClient fallbackClient,
            PriceTable prices,
            WorkerMetrics metrics,
            Clock clock,
            int maxRecordBytes) {
        this(
                vertx,
                tier.wireName(),
                model,
                client,
                fallbackModel,
                fallbackClient,
                prices,
                metrics,
                clock,
                maxRecordBytes);
    }

    /** Without a fallback, with meters that go nowhere; for tests. */
    public PromptProcessor(Tier tier, String model, ChatClient client, PriceTable prices, Clock clock) {
        this(null, tier.wireName(), model, client, null, null, prices, WorkerMetrics.noop(), clock, 1_000_000);
    }

    /** The record's outcome; never fails. */
    public Future<Outcome> process(QueueRecord record) {
        Future<Outcome> outcome;
        try {
            outcome = decodeAndCall(record);
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        return outcome.recover(e -> {
            // a bug must not leave the record in flight for ever: keep it in the dead-letter topic instead
            LOG.error("unexpected error processing {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return Future.succeededFuture(deadLetter(record, "unexpected error: " + e));
        });
    }

    private Future<Outcome> decodeAndCall(QueueRecord record) {
        if (record.value() != null && record.value().length > maxRecordBytes) {
            LOG.warn(
                    "dead-lettering record {}-{}@{} of {} bytes: over the {} bytes a worker writes",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.value().length,
                    maxRecordBytes);
            return Future.succeededFuture(deadLetter(
                    record,
                    "record of " + record.value().length + " bytes is over the " + maxRecordBytes
                            + " bytes a worker writes (kafka.max.request.size); not sent to the provider"));
        }
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
            return Future.succeededFuture(deadLetter(record, e.getMessage()));
        }
        PromptRequest request = routed.request();
        long start = System.nanoTime();
        Future<ChatResult> primary = fallbackClient == null
                ? completeWaitingForBreaker(client, model, request, System.nanoTime())
                : client.complete(model, request.messages(), request.maxTokens());
        return primary.transform(call -> {
            if (call.succeeded()) {
                return Future.succeededFuture(answer(record, routed, model, call.result(), 0, start, false));
            }
            String reason = failureReason(model, call.cause());
            if (fallbackClient == null
                    || !(call.cause() instanceof LlmCallException failure)
                    || !failure.providerUnavailable()) {
                LOG.warn("dead-lettering request {}: {}", request.id(), reason);
                return Future.succeededFuture(deadLetter(record, reason));
            }
            return completeWaitingForBreaker(fallbackClient, fallbackModel, request, System.nanoTime())
                    .transform(fallback -> {
                        if (fallback.succeeded()) {
                            return Future.succeededFuture(answer(
                                    record, routed, fallbackModel, fallback.result(), failure.attempts(), start, true));
                        }
                        String both = reason + "; fallback: " + failureReason(fallbackModel, fallback.cause());
                        LOG.warn("dead-lettering request {}: {}", request.id(), both);
                        return Future.succeededFuture(deadLetter(record, both));
                    });
        });
    }

    private Future<ChatResult> completeWaitingForBreaker(
            ChatClient provider, String providerModel, PromptRequest request, long sinceNanos) {
        return provider.complete(providerModel, request.messages(), request.maxTokens())
                .recover(failure -> {
                    boolean open =
                            failure instanceof LlmCallException e && e.kind() == LlmCallException.Kind.BREAKER_OPEN;
                    if (!open || vertx == null || System.nanoTime() - sinceNanos > BREAKER_WAIT_MS * 1_000_000) {
                        return Future.failedFuture(failure);
                    }
                    Promise<ChatResult> later = Promise.promise();
                    vertx.setTimer(BREAKER_RETRY_MS, id -> completeWaitingForBreaker(
                                    provider, providerModel, request, sinceNanos)
                            .onComplete(later));
                    return later.future();
                });
    }

    private Outcome answer(
            QueueRecord record,
            RoutedPrompt routed,
            String answeringModel,
            ChatResult result,
            int earlierAttempts,
            long startNanos,
            boolean fallback) {
        PromptRequest request = routed.request();
        // priced by the model that was asked for: a provider may report a dated snapshot name instead
        double cost = prices.costUsd(answeringModel, result.promptTokens(), result.completionTokens());
        LlmResponse response = new LlmResponse(
                request.id(),
                request.tenant(),
                // the schema requires the decision, so a record without one was dead-lettered by the decoder
                routed.decision().tier(),
                result.model() == null || result.model().isBlank() ? answeringModel : result.model(),
                result.text(),
                result.finishReason(),
                result.promptTokens(),
                result.completionTokens(),
                cost,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                earlierAttempts + result.attempts(),
                fallback ? ResponseStatus.FALLBACK : ResponseStatus.OK,
                routed.decision().routerVersion(),
                request.createdAt(),
                clock.millis());
        Outcome outcome = Outcome.answered(response);
        if (outcome.value().length > maxRecordBytes) {
            // retrying cannot help; keep the request, not the answer
            return deadLetter(record, "response too large for the responses topic (over " + maxRecordBytes + " bytes)");
        }
        metrics.answered(queue, answeringModel, fallback, result.promptTokens(), result.completionTokens(), cost);
        return outcome;
    }

    private static String failureReason(String model, Throwable failure) {
        if (failure instanceof LlmCallException e) {
            return "LLM call to " + model + " failed after " + e.attempts() + " attempt(s)"
                    + (e.retryable() ? "" : " (not retryable)") + ": " + e.getMessage();
        }
        return "LLM call to " + model + " failed: " + failure;
    }

    private Outcome deadLetter(QueueRecord record, String reason) {
        metrics.deadLettered(queue);
        // the original is kept up to 64 KiB with its size and hash, so the dead letter always fits its topic
        return Outcome.deadLettered(DeadLetter.of(
                record.key(),
                record.value(),
                record.topic(),
                record.partition(),
                record.offset(),
                STAGE,
                reason,
                clock.millis()));
    }
}
