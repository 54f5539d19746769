package io.kroute.retrain;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.RouterModelSigner;
import io.kroute.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes routers to the compacted {@code router-models} topic. Each version is written twice: under
 * {@code <channel>@<version>}, a key no later record overwrites, so compaction keeps every version for rollback; and
 * under {@code <channel>}, the key the router-streams follow, whose last record is the router in service. With a
 * signer, every version is signed before it is written, so that router-streams trusting its key serve it.
 */
public final class RouterPublisher implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouterPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConnection connection;
    private final Topics topics;
    private final RouterModelSigner signer;

    /** A publisher of unsigned routers (tests, and rollbacks, which keep each version's own signature). */
    public RouterPublisher(String bootstrapServers, Topics topics) {
        this(KafkaConnection.to(bootstrapServers), topics, null);
    }

    /** A publisher of unsigned routers (tests, and rollbacks, which keep each version's own signature). */
    public RouterPublisher(KafkaConnection connection, Topics topics) {
        this(connection, topics, null);
    }

    /** @param signer signs what {@link #publish} writes; null publishes unsigned */
    public RouterPublisher(KafkaConnection connection, Topics topics, RouterModelSigner signer) {
        this.connection = connection;
        this.topics = topics;
        this.signer = signer;
        Map<String, Object> config = KafkaClientConfigs.idempotentProducer(connection);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    static String historyKey(String channel, String version) {
        return channel + "@" + version;
    }

    /**
     * Puts {@code model} in service on its channel (signed, with a signer), keeping it in the history too; returns
     * once both are acked, and throws if either was not.
     */
    public void publish(RouterModel model) throws ExecutionException, InterruptedException, TimeoutException {
        byte[] value = Codecs.ROUTER_MODEL.encode(signer == null ? model : signer.sign(model));
        String topic = topics.routerModels().name();
        Future<RecordMetadata> history =
                producer.send(new ProducerRecord<>(topic, historyKey(model.channel(), model.version()), value));
        producer.send(new ProducerRecord<>(topic, model.channel(), value)).get(60, TimeUnit.SECONDS);
        history.get(60, TimeUnit.SECONDS);
    }

    /**
     * Puts an earlier version back in service: the one command a rollback takes. The version goes out as it was
     * published, signature included (it covers neither the time nor the reason a rollback changes): a rollback never
     * signs, so it can never vouch for a record someone else put in the history.
     */
    public RouterModel rollback(String channel, String version, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        RouterModel earlier = find(channel, version, timeout)
                .orElseThrow(() -> new IllegalArgumentException("no version '" + version + "' of channel '" + channel
                        + "' on " + topics.routerModels().name()));
        RouterModel again = earlier.republished(System.currentTimeMillis(), "rollback to " + version);
        producer.send(new ProducerRecord<>(topics.routerModels().name(), channel, Codecs.ROUTER_MODEL.encode(again)))
                .get(60, TimeUnit.SECONDS);
        return again;
    }

    /** Reads the whole topic for the history record of {@code channel@version}. */
    Optional<RouterModel> find(String channel, String version, Duration timeout) {
        return newest(connection, topics, historyKey(channel, version), timeout, model -> {});
    }

    /**
     * Reads {@code router-models} to its end for the newest record under {@code key} that decodes and passes
     * {@code check} (which throws to refuse one); a record that does not is skipped with a warning.
     */
    static Optional<RouterModel> newest(
            KafkaConnection connection,
            Topics topics,
            String key,
            Duration timeout,
            java.util.function.Consumer<RouterModel> check) {
        Map<String, Object> config = KafkaClientConfigs.committedReader(connection);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = topics.routerModels().name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            RouterModel found = null;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !atEnd(consumer, end)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        try {
                            RouterModel model = Codecs.ROUTER_MODEL.decode(record.value());
                            check.accept(model);
                            found = model;
                        } catch (RuntimeException e) {
                            LOG.warn(
                                    "{}: skipping the record of {} at offset {}: {}",
                                    topic,
                                    key,
                                    record.offset(),
                                    e.getMessage());
                        }
                    }
                }
            }
            return Optional.ofNullable(found);
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
