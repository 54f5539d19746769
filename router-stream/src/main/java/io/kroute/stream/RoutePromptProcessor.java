package io.kroute.stream;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Provenance;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one raw prompt record, validates it, and scores it, alone or in a batch of its partition's prompts (see
 * {@link Batching}). Never throws for a bad record: anything that cannot be read, breaks the schema or cannot be scored
 * becomes a {@link RoutingOutcome.Rejected} carrying the original bytes and the reason. Routed records are re-keyed by
 * request id, so every downstream topic is keyed the same way.
 */
final class RoutePromptProcessor implements Processor<byte[], byte[], String, RoutingOutcome> {

    static final String STAGE = "router-stream";
    private static final Logger LOG = LoggerFactory.getLogger(RoutePromptProcessor.class);

    private final RoutingPolicy policy;
    private final RouterMetrics metrics;
    private final byte[] instance;
    private final Batching batching;
    private final RoutingOptions options;
    private ProcessorContext<String, RoutingOutcome> context;
    private RecentScores recent;
    private PendingPrompts pending;
    private SeenRequests seen;
    private ShareMonitor shares;

    RoutePromptProcessor(RoutingPolicy policy, RouterMetrics metrics, RoutingOptions options) {
        this.policy = policy;
        this.metrics = metrics;
        this.instance = Provenance.value(options.instanceId());
        this.batching = options.batching();
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, RoutingOutcome> context) {
        this.context = context;
        this.shares = new ShareMonitor(policy.targetStrongShare());
        TrafficCalibration traffic = policy.trafficCalibration();
        if (traffic != null) {
            recent = RecentScores.restore(traffic, context.getStateStore(RecentScores.STORE));
        }
        if (options.deduplicates()) {
            seen = new SeenRequests(context.getStateStore(SeenRequests.STORE), options.dedupWindow());
        }
        if (batching.batches()) {
            pending =
                    PendingPrompts.restore(context.getStateStore(PendingPrompts.STORE), RoutePromptProcessor::request);
            // A batch that does not fill is routed after the wait; so is what a crashed task left in the store.
            context.schedule(batching.maxWait(), PunctuationType.WALL_CLOCK_TIME, now -> routePending());
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = DeadLetter.key(record.key());
        RecordMetadata where = context.recordMetadata().orElse(null);
        String tooLarge = options.limits().tooManyBytes(record.value());
        if (tooLarge != null) {
            reject(where, record.value(), key, record.timestamp(), tooLarge, RouterMetrics.Rejection.TOO_LARGE);
            return;
        }
        PromptRequest request;
        try {
            request = request(record.value(), record.timestamp());
        } catch (InvalidMessageException e) {
            reject(
                    where,
                    record.value(),
                    key,
                    record.timestamp(),
                    e.getMessage(),
                    RouterMetrics.Rejection.of(e.getMessage()));
            return;
        }
        String tooLong = options.limits().tooManyTokens(request);
        if (tooLong != null) {
            reject(where, record.value(), key, record.timestamp(), tooLong, RouterMetrics.Rejection.TOO_LARGE);
            return;
        }
        if (seen != null) {
            Long first = seen.firstAcceptedAt(request.id(), context.currentSystemTimeMs());
            if (first != null) {
                reject(
                        where,
                        record.value(),
                        key,
                        record.timestamp(),
                        "duplicate request id " + request.id() + ": first accepted at "
                                + java.time.Instant.ofEpochMilli(first)
                                + ", within kroute.dedup.window-ms="
                                + options.dedupWindow().toMillis()
                                + "; send it again with a new id to have it answered again",
                        RouterMetrics.Rejection.DUPLICATE);
                return;
            }
        }
        PendingPrompts.Pending prompt = new PendingPrompts.Pending(
                where == null ? -1 : where.offset(),
                key,
                record.value(),
                record.timestamp(),
                where == null ? "unknown" : where.topic(),
                where == null ? -1 : where.partition(),
                request);
        if (pending == null) {
            route(List.of(prompt));
            return;
        }
        pending.add(prompt);
        if (pending.size() >= batching.size()) {
            routePending();
        }
    }

    /** The valid request in a record's value; end-to-end latency counts from the record when the producer did not
     * stamp the request. */
    private static PromptRequest request(byte[] value, long timestamp) {
        PromptRequest request = Codecs.PROMPT_REQUEST.decode(value);
        return request.createdAt() == 0 ? request.withCreatedAt(timestamp) : request;
    }

    private void routePending() {
        if (pending.size() > 0) {
            route(pending.drain());
        }
    }

    /**
     * Scores the prompts in one call of the router; if that fails, each on its own, so a prompt the router cannot score
     * is dead-lettered with its cause rather than taking its batch (or the stream) with it.
     */
    private void route(List<PendingPrompts.Pending> prompts) {
        List<PromptRequest> requests =
                prompts.stream().map(PendingPrompts.Pending::request).toList();
        List<RoutingDecision> decisions;
        long start = System.nanoTime();
        try {
            decisions = policy.decideBatch(requests, recent);
        } catch (RuntimeException batchFailed) {
            for (PendingPrompts.Pending prompt : prompts) {
                routeAlone(prompt);
            }
            return;
        }
        long perPrompt = (System.nanoTime() - start) / prompts.size();
        for (int i = 0; i < prompts.size(); i++) {
            metrics.scoring().record(perPrompt, java.util.concurrent.TimeUnit.NANOSECONDS);
            forward(prompts.get(i), decisions.get(i));
        }
    }

    private void routeAlone(PendingPrompts.Pending prompt) {
        RoutingDecision decision;
        try {
            decision = metrics.scoring().record(() -> policy.decide(prompt.request(), recent));
        } catch (RuntimeException e) {
            LOG.warn("router failed on request {}", prompt.request().id(), e);
            metrics.rejected(RouterMetrics.Rejection.ROUTER_FAILED);
            context.forward(new Record<String, RoutingOutcome>(
                    prompt.key(),
                    new RoutingOutcome.Rejected(DeadLetter.of(
                            prompt.key(),
                            prompt.value(),
                            prompt.topic(),
                            prompt.partition(),
                            prompt.offset(),
                            STAGE,
                            "router failed: " + e,
                            System.currentTimeMillis())),
                    prompt.timestamp(),
                    provenance()));
            return;
        }
        forward(prompt, decision);
    }

    private void forward(PendingPrompts.Pending prompt, RoutingDecision decision) {
        RoutedPrompt routed = new RoutedPrompt(prompt.request(), decision);
        String task = context.taskId().toString();
        metrics.threshold(task, decision.threshold());
        // the deployment's share is watched on the prompts routed for it: forced ones and those with their own share
        // (a batch job's) are not
        boolean ownShare =
                prompt.request().routing() != null && prompt.request().routing().strongShare() != null;
        if (!decision.forced() && !ownShare) {
            metrics.strongShare(
                    task,
                    shares.observe(
                            decision.tier() == io.kroute.schemas.Tier.STRONG,
                            task,
                            context.currentSystemTimeMs(),
                            policy.trafficCalibration() == null ? "card" : "traffic"));
        }
        metrics.routed(decision.tier(), decision.router(), decision.routerVersion(), decision.forced());
        context.forward(new Record<String, RoutingOutcome>(
                prompt.request().id(), new RoutingOutcome.Routed(routed), prompt.timestamp(), provenance()));
    }

    private void reject(
            RecordMetadata where,
            byte[] value,
            String key,
            long timestamp,
            String reason,
            RouterMetrics.Rejection kind) {
        metrics.rejected(kind);
        DeadLetter letter = DeadLetter.of(
                key,
                value,
                where == null ? "unknown" : where.topic(),
                where == null ? -1 : where.partition(),
                where == null ? -1 : where.offset(),
                STAGE,
                reason,
                System.currentTimeMillis());
        context.forward(
                new Record<String, RoutingOutcome>(key, new RoutingOutcome.Rejected(letter), timestamp, provenance()));
    }

    /**
     * Only kroute's own header goes downstream: a producer's headers (an {@code authorization} among them) must not
     * reach the queues or the dead-letter topic.
     */
    private Headers provenance() {
        return new RecordHeaders().add(Provenance.ROUTER_INSTANCE, instance);
    }
}
