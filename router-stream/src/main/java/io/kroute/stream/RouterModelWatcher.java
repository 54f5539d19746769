package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.TrustedKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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
 * restart. Every instance reads the whole topic (no consumer group), so every instance serves the newest version.
 *
 * <p>An artifact is served only once it passed every check: its schema, its channel, its publisher's signature (when
 * {@code kroute.models.trusted-keys} is set), its file names, sizes and location, its checksum, and its loading. One
 * that fails any of them, or whose handling fails in any other way (an {@link OutOfMemoryError} included), goes to the
 * dead-letter topic with the reason, the router in service stays, and the watcher reads on.
 */
public final class RouterModelWatcher implements AutoCloseable {

    static final String STAGE = "router-models";
    private static final Logger LOG = LoggerFactory.getLogger(RouterModelWatcher.class);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetters;
    private final String modelsTopic;
    private final String deadLetterTopic;
    private final String channel;
    private final Path workDir;
    private final Path locationRoot;
    private final TrustedKeys trustedKeys;
    private final LiveRouter live;
    private final Function<Path, Router> loader;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile String servedVersion;
    private volatile Thread poller;

    /**
     * Follows {@code settings.modelChannel()}, turning each verified artifact directory into a router with
     * {@code loader}.
     */
    public RouterModelWatcher(RouterStreamSettings settings, LiveRouter live, Function<Path, Router> loader) {
        this(settings, live, loader, consumer(settings), producer(settings));
    }

    RouterModelWatcher(
            RouterStreamSettings settings,
            LiveRouter live,
            Function<Path, Router> loader,
            Consumer<String, byte[]> consumer,
            Producer<String, byte[]> deadLetters) {
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.modelsTopic = settings.topics().routerModels().name();
        this.deadLetterTopic = settings.topics().deadLetters().name();
        this.channel = settings.modelChannel();
        this.workDir = settings.modelDir();
        this.locationRoot = settings.modelLocationRoot();
        this.trustedKeys = settings.trustedKeys();
        this.live = live;
        this.loader = loader;
        this.servedVersion = live.current().router().info().version();
        if (trustedKeys.isEmpty()) {
            LOG.warn(
                    "router models of channel {} are not authenticated: whoever can write to {} chooses the router;"
                            + " set {} to serve only signed ones",
                    channel,
                    modelsTopic,
                    RouterStreamSettings.TRUSTED_KEYS);
        } else {
            LOG.info(
                    "router models of channel {} are served only when signed by key {}", channel, trustedKeys.keyIds());
        }
    }

    private static Consumer<String, byte[]> consumer(RouterStreamSettings settings) {
        Map<String, Object> config = KafkaClientConfigs.committedReader(settings.connection());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Producer<String, byte[]> producer(RouterStreamSettings settings) {
        Map<String, Object> config = KafkaClientConfigs.idempotentProducer(settings.connection());
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Reads the channel up to the end of the topic and serves its newest version; call before the stream starts so
     * that it never scores with an older router than the topic holds.
     */
    public void catchUp(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(modelsTopic, timeout);
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(modelsTopic, p.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        RouterModel newest = null;
        ConsumerRecord<String, byte[]> newestRecord = null;
        while (!caughtUp(end) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                RouterModel model = accept(record);
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
                    RouterModel model = accept(record);
                    if (model != null) {
                        serve(model, record);
                    }
                }
            }
        } catch (RuntimeException e) {
            // Only reading the topic gets here (each record's own failures are caught below): /health reports it.
            if (running.get()) {
                LOG.error("router model watcher stopped: cannot read {}; the router in service stays", modelsTopic, e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The model in the record when it is one of our channel and passes the checks that need no file (schema, channel,
     * signature); null for another key, and for a refused one, which is dead-lettered.
     */
    private RouterModel accept(ConsumerRecord<String, byte[]> record) {
        if (!channel.equals(record.key())) {
            return null;
        }
        try {
            RouterModel model = Codecs.ROUTER_MODEL.decode(record.value());
            if (!channel.equals(model.channel())) {
                throw new InvalidMessageException("it names channel '" + model.channel() + "', not " + channel);
            }
            trustedKeys.verify(model);
            return model;
        } catch (Throwable e) { // whatever one record does, the channel is followed on
            deadLetter(record, "router model refused: " + describe(e));
            return null;
        }
    }

    private void serve(RouterModel model, ConsumerRecord<String, byte[]> record) {
        if (model.version().equals(servedVersion)) {
            return;
        }
        try {
            Path dir = model.materialize(workDir.resolve(channel).resolve(safe(model.version())), locationRoot);
            live.swap(loader.apply(dir));
        } catch (Throwable e) { // an OutOfMemoryError of one artifact too: the next version must still be served
            deadLetter(record, "router model " + model.version() + " cannot be served: " + describe(e));
            return;
        }
        servedVersion = model.version();
        LOG.info("serving router {} version {} ({})", model.kind(), model.version(), model.reason());
    }

    private static String describe(Throwable e) {
        return e instanceof InvalidMessageException ? e.getMessage() : e.toString();
    }

    /** Writes a dead letter (cut to fit its topic); a write that fails is logged with its cause, never dropped silently. */
    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        long offset = record.offset();
        LOG.warn("{} (offset {})", reason, offset);
        try {
            DeadLetter letter = DeadLetter.of(
                    record.key(),
                    record.value(),
                    record.topic(),
                    record.partition(),
                    offset,
                    STAGE,
                    reason,
                    System.currentTimeMillis());
            deadLetters.send(
                    new ProducerRecord<>(deadLetterTopic, letter.key(), Codecs.DEAD_LETTER.encode(letter)),
                    (metadata, e) -> {
                        if (e != null) {
                            LOG.error("dead letter of the router model at offset {} was not written", offset, e);
                        }
                    });
        } catch (Throwable e) {
            LOG.error("dead letter of the router model at offset {} was not written", offset, e);
        }
    }

    /** A directory name for the version: never a separator, never "." or ".." (which would name a parent). */
    private static String safe(String version) {
        return version.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.", "_");
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
