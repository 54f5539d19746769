package io.kroute.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Opens the consumer tail reads with: every partition of the given topics assigned, not subscribed, because a
 * reader that never commits has no use for a group (no offsets to keep, no rebalance to wait for).
 */
final class OutcomeConsumer {

    private OutcomeConsumer() {}

    /**
     * @param config a read_committed consumer's settings
     * @param fromBeginning start at each partition's first record; otherwise at its end as of now
     */
    static KafkaConsumer<String, byte[]> open(
            Map<String, Object> config, List<String> topics, boolean fromBeginning, Duration timeout) {
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // Seeks are lazy: fixing the positions now makes "the end" mean when tail started, not its first poll.
            for (TopicPartition partition : partitions) {
                consumer.position(partition, timeout);
            }
            return consumer;
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }
}
