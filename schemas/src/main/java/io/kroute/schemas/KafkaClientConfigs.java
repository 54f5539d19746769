package io.kroute.schemas;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The client settings every kroute component starts from; callers add their own (group id, offsets, sizes) to the
 * mutable map returned.
 */
public final class KafkaClientConfigs {

    private KafkaClientConfigs() {}

    /** A producer that writes each record once however often it retries: acks from all replicas, idempotence on. */
    public static Map<String, Object> idempotentProducer(String bootstrapServers) {
        return idempotentProducer(KafkaConnection.to(bootstrapServers));
    }

    /** As {@link #idempotentProducer(String)}, over a connection with its security settings. */
    public static Map<String, Object> idempotentProducer(KafkaConnection connection) {
        Map<String, Object> config = connection.clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    /** A consumer that sees only committed records: what the exactly-once writers have committed, never aborted ones. */
    public static Map<String, Object> committedReader(String bootstrapServers) {
        return committedReader(KafkaConnection.to(bootstrapServers));
    }

    /** As {@link #committedReader(String)}, over a connection with its security settings. */
    public static Map<String, Object> committedReader(KafkaConnection connection) {
        Map<String, Object> config = connection.clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }
}
