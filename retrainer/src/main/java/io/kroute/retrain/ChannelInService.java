package io.kroute.retrain;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.TrustedKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router a retrainer's channel serves now, read back from {@code router-models} at start: after a restart (or
 * a rollback, or a router published by hand) candidates are compared with what the router-streams serve, not with the
 * router the config named for the very first start. With a signing key, only a record this retrainer's key signed is
 * taken (as a router-stream trusting it would); a record that cannot be read or unpacked is skipped with a warning.
 */
final class ChannelInService {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelInService.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ChannelInService() {}

    /** The newest version of the channel, unpacked under {@code workDir/in-service}; empty when there is none. */
    static Optional<Path> read(RetrainerConfig config) {
        String channel = config.settings().channel();
        String topic = config.topics().routerModels().name();
        TrustedKeys trusted =
                config.signer() == null ? TrustedKeys.NONE : config.signer().trusted();
        Map<String, Object> consumerConfig = KafkaClientConfigs.committedReader(config.connection());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        RouterModel newest = null;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions;
            try {
                partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn(
                        "{} not found within {} s: comparing with {}",
                        topic,
                        TIMEOUT.toSeconds(),
                        config.servingRouter());
                return Optional.empty();
            }
            if (partitions.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!caughtUp(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!channel.equals(record.key())) {
                        continue;
                    }
                    try {
                        RouterModel model = Codecs.ROUTER_MODEL.decode(record.value());
                        if (channel.equals(model.channel())) {
                            trusted.verify(model);
                            newest = model;
                        }
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "channel {}: skipping the record at offset {}: {}",
                                channel,
                                record.offset(),
                                e.getMessage());
                    }
                }
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        Path workDir = config.settings().workDir();
        Path dir;
        try {
            dir = newest.materialize(
                    workDir.resolve("in-service").resolve(newest.version().replaceAll("[^A-Za-z0-9._-]", "_")),
                    workDir.resolve("candidates"));
        } catch (RuntimeException e) {
            LOG.warn(
                    "channel {}: version {} cannot be unpacked ({}); comparing with {} instead",
                    channel,
                    newest.version(),
                    e.getMessage(),
                    config.servingRouter());
            return Optional.empty();
        }
        LOG.info(
                "channel {} serves {} version {}: candidates are compared with it",
                channel,
                newest.kind(),
                newest.version());
        return Optional.of(dir);
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
