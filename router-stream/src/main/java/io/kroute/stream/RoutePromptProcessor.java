package io.kroute.stream;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Provenance;
import io.kroute.schemas.RoutedPrompt;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one raw prompt record, validates it, and scores it. Never throws for a bad record: anything that cannot be
 * read, breaks the schema or cannot be scored becomes a {@link RoutingOutcome.Rejected} carrying the original bytes and
 * the reason. Routed records are re-keyed by request id, so every downstream topic is keyed the same way.
 */
final class RoutePromptProcessor implements Processor<byte[], byte[], String, RoutingOutcome> {

    static final String STAGE = "router-stream";
    private static final Logger LOG = LoggerFactory.getLogger(RoutePromptProcessor.class);

    private final RoutingPolicy policy;
    private final RouterMetrics metrics;
    private final byte[] instance;
    private ProcessorContext<String, RoutingOutcome> context;
    private RecentScores recent;

    RoutePromptProcessor(RoutingPolicy policy, RouterMetrics metrics, String instanceId) {
        this.policy = policy;
        this.metrics = metrics;
        this.instance = Provenance.value(instanceId);
    }

    /**
     * Only kroute's own header goes downstream: a producer's headers (an {@code authorization} among them) must not
     * reach the queues or the dead-letter topic.
     */
    private Headers provenance() {
        return new RecordHeaders().add(Provenance.ROUTER_INSTANCE, instance);
    }

    @Override
    public void init(ProcessorContext<String, RoutingOutcome> context) {
        this.context = context;
        TrafficCalibration traffic = policy.trafficCalibration();
        if (traffic != null) {
            recent = RecentScores.restore(traffic, context.getStateStore(RecentScores.STORE));
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        PromptRequest request;
        try {
            request = Codecs.PROMPT_REQUEST.decode(record.value());
        } catch (InvalidMessageException e) {
            reject(record, key, e.getMessage(), RouterMetrics.Rejection.of(e.getMessage()));
            return;
        }
        if (request.createdAt() == 0) {
            // End-to-end latency is measured from here on when the producer did not stamp the request.
            request = request.withCreatedAt(record.timestamp());
        }
        RoutedPrompt routed;
        try {
            PromptRequest scored = request;
            routed = new RoutedPrompt(request, metrics.scoring().record(() -> policy.decide(scored, recent)));
        } catch (RuntimeException e) {
            // A router failure is dead-lettered with its cause rather than stopping the stream for the prompts behind.
            LOG.warn("router failed on request {}", request.id(), e);
            reject(record, key, "router failed: " + e, RouterMetrics.Rejection.ROUTER_FAILED);
            return;
        }
        metrics.threshold(context.taskId().toString(), routed.decision().threshold());
        metrics.routed(
                routed.decision().tier(),
                routed.decision().router(),
                routed.decision().routerVersion(),
                routed.decision().forced());
        context.forward(record.withKey(request.id())
                .withValue(new RoutingOutcome.Routed(routed))
                .withHeaders(provenance()));
    }

    private void reject(Record<byte[], byte[]> record, String key, String reason, RouterMetrics.Rejection kind) {
        metrics.rejected(kind);
        RecordMetadata where = context.recordMetadata().orElse(null);
        DeadLetter letter = DeadLetter.of(
                key,
                record.value(),
                where == null ? "unknown" : where.topic(),
                where == null ? -1 : where.partition(),
                where == null ? -1 : where.offset(),
                STAGE,
                reason,
                System.currentTimeMillis());
        context.forward(record.withKey(key)
                .withValue(new RoutingOutcome.Rejected(letter))
                .withHeaders(provenance()));
    }
}
