package io.kroute.workers;

import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue topic and answers every prompt on it with the tier's LLM, many calls at once.
 *
 * <p>Offsets: each partition has an {@link OffsetTracker}; a timer commits the lowest offset still in flight, so a
 * committed offset never passes a record whose response (or dead letter) the broker has not acknowledged. Delivery is
 * at least once: after a crash or a rebalance, records past the last commit are answered again (responses are keyed
 * by request id, so consumers can keep the last).
 *
 * <p>Back-pressure: at {@code max_in_flight} calls the consumer stream is paused (it then stops polling, so at most
 * one poll batch, capped at {@code max_in_flight} records, is buffered) and resumed as calls finish.
 *
 * <p>Rebalances: vertx-kafka-client runs the revoke handler after the rebalance has started, not inside it, so the
 * commit of a revoked partition's finished offsets is best effort; what it misses is answered again by the new owner.
 */
public final class QueueWorker extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);

    private final WorkerConfig config;
    private final Tier tier;
    private final Map<TopicPartition, OffsetTracker> trackers = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();

    private KafkaConsumer<String, byte[]> consumer;
    private ResultPublisher publisher;
    private ChatClient client;
    private PromptProcessor processor;
    private String topic;
    private int maxInFlight;
    private int inFlight;
    private boolean paused;
    private boolean stopping;
    private boolean committing;
    private long commitTimer = -1;
    private Promise<Void> drained;

    public QueueWorker(WorkerConfig config, Tier tier) {
        this.config = config;
        this.tier = tier;
    }

    /** The Kafka consumer settings of one tier's worker; extra {@code kafka} properties cannot override the safety ones. */
    static Map<String, String> consumerConfig(WorkerConfig config, Tier tier) {
        int maxInFlight = config.tier(tier).maxInFlight();
        Map<String, String> properties = new HashMap<>();
        properties.put("max.poll.records", String.valueOf(Math.min(500, maxInFlight)));
        // a paused consumer does not poll: stay in the group while the slowest call in flight takes all its attempts
        TierConfig tierConfig = config.tier(tier);
        long slowestCallMs = tierConfig.maxAttempts() * (tierConfig.requestTimeoutMs() + tierConfig.maxBackoffMs());
        properties.put("max.poll.interval.ms", String.valueOf(Math.max(300_000, slowestCallMs + 60_000)));
        properties.putAll(config.kafka());
        properties.put("bootstrap.servers", config.bootstrapServers());
        properties.put("group.id", config.consumerGroup(tier));
        properties.put("client.id", config.consumerGroup(tier) + "-consumer");
        properties.put("enable.auto.commit", "false");
        properties.put("isolation.level", "read_committed");
        properties.put("auto.offset.reset", "earliest");
        properties.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        properties.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        return properties;
    }

    @Override
    public Future<?> start() {
        TierConfig tierConfig = config.tier(tier);
        maxInFlight = tierConfig.maxInFlight();
        topic = Topics.withPrefix(config.topicPrefix()).queue(tier).name();
        if (tierConfig.resolveApiKey() == null
                && tierConfig.apiKeyEnv() != null
                && !tierConfig.apiKeyEnv().isBlank()) {
            LOG.warn(
                    "{}: environment variable {} is not set; calling {} without an API key",
                    tier.wireName(),
                    tierConfig.apiKeyEnv(),
                    tierConfig.baseUrl());
        }
        client = RetryingChatClient.forTier(vertx, tierConfig);
        publisher = new KafkaResultPublisher(vertx, config, config.consumerGroup(tier) + "-producer");
        processor = new PromptProcessor(
                vertx, tier, tierConfig.model(), client, new PriceTable(config.prices()), publisher, Clock.systemUTC());

        consumer = KafkaConsumer.create(vertx, consumerConfig(config, tier), String.class, byte[].class);
        consumer.exceptionHandler(e -> LOG.error("{} consumer error", tier.wireName(), e));
        consumer.partitionsAssignedHandler(partitions -> {
            LOG.info("{} worker assigned {}", tier.wireName(), partitions);
            assigned.addAll(partitions);
        });
        consumer.partitionsRevokedHandler(this::onRevoked);
        consumer.handler(this::onRecord);
        commitTimer = vertx.setPeriodic(config.commitIntervalMs(), id -> {
            if (!committing) { // a slow broker gets one commit at a time; the next tick includes what this one would
                commitFinished(trackers.keySet());
            }
        });
        return consumer.subscribe(topic)
                .onSuccess(v -> LOG.info(
                        "{} worker consuming {} with model {} at {} (max {} in flight)",
                        tier.wireName(),
                        topic,
                        tierConfig.model(),
                        tierConfig.baseUrl(),
                        maxInFlight))
                .recover(failure -> consumer.close()
                        .eventually(() -> publisher.close())
                        .eventually(() -> client.close())
                        .transform(ar -> Future.failedFuture(failure)));
    }

    /**
     * Stops taking records, waits up to {@code shutdown_timeout_ms} for the calls in flight, commits what finished and
     * closes the clients. Records still in flight at the deadline stay uncommitted and are read again later.
     */
    @Override
    public Future<?> stop() {
        stopping = true;
        consumer.pause();
        vertx.cancelTimer(commitTimer);
        drained = Promise.promise();
        if (inFlight == 0) {
            drained.tryComplete();
        }
        long deadline = vertx.setTimer(Math.max(1, config.shutdownTimeoutMs()), id -> {
            LOG.warn("{} worker stopping with {} calls still in flight", tier.wireName(), inFlight);
            processor.abandon();
            drained.tryComplete();
        });
        return drained.future()
                .compose(v -> {
                    vertx.cancelTimer(deadline);
                    processor.abandon();
                    return commitFinished(trackers.keySet());
                })
                .eventually(() -> consumer.close())
                .eventually(() -> publisher.close())
                .eventually(() -> client.close())
                .onComplete(ar -> LOG.info("{} worker stopped", tier.wireName()));
    }

    /** Calls in flight now; for monitoring and tests. */
    public int inFlight() {
        return inFlight;
    }

    private void onRecord(KafkaConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (stopping || !assigned.contains(partition)) {
            // not started, so not committed: read again after the restart, or by the partition's new owner
            return;
        }
        OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
        tracker.started(record.offset());
        inFlight++;
        if (inFlight >= maxInFlight && !paused) {
            paused = true;
            consumer.pause();
        }
        QueueRecord queued =
                new QueueRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
        processor.process(queued).onComplete(ar -> {
            inFlight--;
            if (ar.succeeded() && trackers.get(partition) == tracker) {
                tracker.completed(record.offset());
            }
            if (stopping) {
                if (inFlight == 0) {
                    drained.tryComplete();
                }
            } else if (paused && inFlight < maxInFlight) {
                paused = false;
                consumer.resume();
            }
        });
    }

    private void onRevoked(Set<TopicPartition> revoked) {
        LOG.info("{} worker revoked {}", tier.wireName(), revoked);
        commitFinished(revoked);
        // finished calls of these partitions are no longer tracked; the new owner resumes from the last commit
        revoked.forEach(trackers::remove);
        assigned.removeAll(revoked);
    }

    /** Commits, for the given partitions, every offset whose records all have acknowledged results. */
    private Future<Void> commitFinished(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, OffsetTracker> committedTrackers = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetTracker tracker = trackers.get(partition);
            if (tracker == null) {
                continue;
            }
            OptionalLong offset = tracker.toCommit();
            if (offset.isPresent()) {
                offsets.put(partition, new OffsetAndMetadata(offset.getAsLong(), ""));
                committedTrackers.put(partition, tracker);
            }
        }
        if (offsets.isEmpty()) {
            return Future.succeededFuture();
        }
        committing = true;
        return consumer.commit(offsets)
                .<Void>map(committed -> {
                    offsets.forEach((partition, offset) ->
                            committedTrackers.get(partition).committed(offset.getOffset()));
                    return null;
                })
                .onFailure(e -> LOG.warn("{} worker commit of {} failed: {}", tier.wireName(), offsets, e.toString()))
                .recover(e -> Future.succeededFuture())
                .onComplete(ar -> committing = false);
    }
}
