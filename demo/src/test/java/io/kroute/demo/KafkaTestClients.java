package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The clients the integration tests check with: what a user's read_committed consumer sees. */
final class KafkaTestClients {

    private KafkaTestClients() {}

    /** A consumer in a group of its own, from the earliest offset, seeing committed transactions only. */
    static KafkaConsumer<String, byte[]> readCommitted(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-check-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Every routed prompt on both queues, by request id, waiting up to a minute for {@code expected} of them. */
    static Map<String, RoutedPrompt> readRouted(String bootstrapServers, Topics topics, int expected) {
        return readRouted(
                bootstrapServers,
                List.of(topics.strongQueue().name(), topics.weakQueue().name()),
                expected);
    }

    /** The routed prompts on these queue topics, asserting none was routed twice. */
    static Map<String, RoutedPrompt> readRouted(String bootstrapServers, List<String> queues, int expected) {
        Map<String, RoutedPrompt> routed = new HashMap<>();
        int duplicates = 0;
        try (KafkaConsumer<String, byte[]> consumer = readCommitted(bootstrapServers)) {
            consumer.subscribe(queues);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (routed.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (routed.put(record.key(), Codecs.ROUTED_PROMPT.decode(record.value())) != null) {
                        duplicates++;
                    }
                }
            }
        }
        assertThat(duplicates).as("no prompt scored twice").isZero();
        return routed;
    }
}
