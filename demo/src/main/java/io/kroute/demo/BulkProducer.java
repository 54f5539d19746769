package io.kroute.demo;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The producer the load commands and fault tests queue their prompts with, before anything consumes them. */
final class BulkProducer {

    private BulkProducer() {}

    static KafkaProducer<String, byte[]> open(String bootstrapServers) {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrapServers,
                        "linger.ms",
                        20,
                        "batch.size",
                        262_144,
                        // a new partition can answer NOT_LEADER to the first batches; an idempotent producer then
                        // sometimes retries OUT_OF_ORDER_SEQUENCE for ever. One request at a time keeps order instead.
                        "enable.idempotence",
                        false,
                        "max.in.flight.requests.per.connection",
                        1),
                new StringSerializer(),
                new ByteArraySerializer());
    }
}
