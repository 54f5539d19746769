package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one channel of the compacted {@code router-models} topic and puts each new version in service without a
 * restart. Every instance reads the whole topic (no consumer group), so every instance serves the newest version. An
 * artifact that fails its schema, its checksum or its loading goes to the dead-letter topic and the router in service
 * stays.
 */
public final class RouterModelWatcher implements AutoCloseable {

    static final String STAGE = "router-models";
    private static final Logger LOG = LoggerFactory.getLogger(RouterModelWatcher.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final Topics topics;
    private final String channel;
    private final Path workDir;
    private final LiveRouter live;
    private final Function<Path, Router> loader;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile String servedVersion;
    private volatile Thread poller;

    public RouterModelWatcher(
            KafkaConnection connection, Topics topics, String channel, Path workDir, LiveRouter live) {
        this(connection, topics, channel, workDir, live, dir -> RouterLoader.load(dir.toString()));
    }

    /** As the other constructor, with a custom way to turn an unpacked artifact directory into a router. */
    public RouterModelWatcher(
            KafkaConnection connection,
            Topics topics,
            String channel,
            Path workDir,
            LiveRouter live,
            Function<Path, Router> loader) {
        this.topics = topics;
        this.channel = channel;
        this.workDir = workDir;
        this.live = live;
        this.loader = loader;
        this.servedVersion = live.current().router().info().version();
        Map<String, Object> consumerConfig = KafkaClientConfigs.committedReader(connection);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerConfig = KafkaClientConfigs.idempotentProducer(connection);
        this.deadLetters = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Reads the channel up to the end of the topic and serves its newest version; call before the stream starts so
     * that it never scores with an older router than the topic holds.
     */
    public void catchUp(Duration timeout) {
        String topic = topics.routerModels().name();
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        RouterModel newest = null;
        ConsumerRecord<String, byte[]> newestRecord = null;
        while (!caughtUp(end) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                RouterModel model = decode(record);
                if (model != null) {
                    newest = model;
                    newestRecord = record;
                }
            }
        }
        if (newest != null) {
            serve(newest, newestRecord);
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Follows the channel in the background from where {@link #catchUp} stopped. */
    public void start() {
        poller = new Thread(this::follow, "router-model-watcher");
        poller.setDaemon(true);
        poller.start();
    }

    private void follow() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    RouterModel model = decode(record);
                    if (model != null) {
                        serve(model, record);
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                LOG.error("router model watcher stopped; the router in service stays", e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The model of our channel in the record, or null (another channel, or dead-lettered). */
    private RouterModel decode(ConsumerRecord<String, byte[]> record) {
        if (!channel.equals(record.key())) {
            return null;
        }
        try {
            return Codecs.ROUTER_MODEL.decode(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "unreadable router model: " + e.getMessage());
            return null;
        }
    }

    private void serve(RouterModel model, ConsumerRecord<String, byte[]> record) {
        if (model.version().equals(servedVersion)) {
            return;
        }
        Router router;
        try {
            Path dir = model.materialize(workDir.resolve(channel).resolve(safe(model.version())));
            router = loader.apply(dir);
        } catch (RuntimeException e) {
            deadLetter(record, "router model " + model.version() + " cannot be served: " + e.getMessage());
            return;
        }
        live.swap(router);
        servedVersion = model.version();
        LOG.info("serving router {} version {} ({})", model.kind(), model.version(), model.reason());
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warn("{} (offset {})", reason, record.offset());
        DeadLetter letter = DeadLetter.of(
                record.key(),
                record.value(),
                record.topic(),
                record.partition(),
                record.offset(),
                STAGE,
                reason,
                System.currentTimeMillis());
        deadLetters.send(
                new ProducerRecord<>(topics.deadLetters().name(), record.key(), Codecs.DEAD_LETTER.encode(letter)));
    }

    private static String safe(String version) {
        return version.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Whether the background thread still follows the channel (false before {@link #start} and after a failure). */
    public boolean isFollowing() {
        Thread thread = poller;
        return thread != null && thread.isAlive();
    }

    public String servedVersion() {
        return servedVersion;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        if (poller != null) {
            poller.join(10_000);
        } else {
            consumer.close(Duration.ofSeconds(5));
        }
        deadLetters.close(Duration.ofSeconds(5));
    }
}
