package io.kroute.workers;

import io.kroute.schemas.Tier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of the Kafka clients each queue's worker creates: the {@code kafka} properties of the config (security
 * settings among them, so every client reaches a secured cluster), under the settings the guarantees rest on, which
 * the {@code kafka} map cannot override. Checked at start by Kafka's own config definitions, so a bad value is one line
 * naming its key rather than a stack trace from a client constructor.
 */
final class KafkaClientSettings {

    /** Room for the key, the headers and the record batch around an outcome's value. */
    private static final int RECORD_OVERHEAD = 4096;

    /** Large enough for any dead letter (64 KiB of original as base64, key and reason at their bounds). */
    static final int MIN_MAX_REQUEST_SIZE = 256 * 1024;

    private KafkaClientSettings() {}

    static int maxPollRecords(int maxInFlight) {
        return Math.max(1, Math.min(500, maxInFlight / 4));
    }

    /** The consumer of a tier's queue. */
    static Map<String, Object> consumer(WorkerConfig config, Tier tier) {
        return consumer(config, tier.wireName());
    }

    /** The consumer of a queue. */
    static Map<String, Object> consumer(WorkerConfig config, String queue) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(
                "max.poll.records",
                String.valueOf(maxPollRecords(config.queue(queue).maxInFlight())));
        properties.putAll(config.kafka());
        properties.put("bootstrap.servers", config.bootstrapServers());
        properties.put("group.id", config.consumerGroup(queue));
        properties.put("client.id", config.consumerGroup(queue) + "-consumer");
        if (!config.instanceId().isBlank()) {
            // static membership: a restarted process takes its partitions back without a rebalance
            properties.put("group.instance.id", config.instanceId());
        }
        properties.put("enable.auto.commit", "false");
        properties.put("isolation.level", "read_committed");
        properties.put("auto.offset.reset", "earliest");
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return properties;
    }

    /** The transactional producer of a tier's outcomes (so idempotent, acks=all). */
    static Map<String, Object> producer(WorkerConfig config, Tier tier, String transactionalId) {
        return producer(config, tier.wireName(), transactionalId);
    }

    /** The transactional producer of a queue's outcomes (so idempotent, acks=all). */
    static Map<String, Object> producer(WorkerConfig config, String queue, String transactionalId) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("linger.ms", "5");
        // a crashed worker without a fixed instance_id leaves its open transaction for the broker to abort after this
        properties.put("transaction.timeout.ms", "15000");
        properties.putAll(config.kafka());
        properties.put("bootstrap.servers", config.bootstrapServers());
        properties.put("client.id", config.consumerGroup(queue) + "-producer");
        properties.put("transactional.id", transactionalId);
        properties.put("acks", "all");
        properties.put("enable.idempotence", "true");
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", ByteArraySerializer.class.getName());
        return properties;
    }

    /** The largest outcome value the producer writes. Call on a validated config. */
    static int maxRecordBytes(WorkerConfig config) {
        return maxRequestSize(config) - RECORD_OVERHEAD;
    }

    /**
     * What is wrong with the {@code kafka} map, one entry per problem, e.g. {@code kafka.max.request.size: Invalid value
     * lots for configuration max.request.size: Not a number of type INT}: the producer's and the consumer's settings of
     * every queue, as the workers would create them, go through {@link ProducerConfig} and {@link ConsumerConfig}.
     */
    static List<String> problems(WorkerConfig config) {
        Set<String> problems = new LinkedHashSet<>();
        if (config.queues().size() > WorkerConfig.MAX_QUEUES) {
            return List.of(); // the count is the problem, reported once by validate()
        }
        config.queues().forEach((queue, section) -> {
            if (section != null) {
                check(problems, config, () -> new ProducerConfig(producer(config, queue, "kroute-config-check")));
                check(problems, config, () -> new ConsumerConfig(consumer(config, queue)));
            }
        });
        if (problems.isEmpty() && maxRequestSize(config) < MIN_MAX_REQUEST_SIZE) {
            problems.add("kafka.max.request.size must be at least " + MIN_MAX_REQUEST_SIZE
                    + " so that every dead letter fits, got " + maxRequestSize(config));
        }
        return new ArrayList<>(problems);
    }

    private static void check(Set<String> problems, WorkerConfig config, Supplier<Object> construct) {
        try {
            construct.get();
        } catch (ConfigException e) {
            problems.add(named(e.getMessage().replace('\n', ' '), config.kafka().keySet()));
        }
    }

    /** Kafka names the property inside its message ("Invalid value x for configuration name: why"). */
    private static String named(String message, Set<String> keys) {
        for (String key : new TreeSet<>(keys)) {
            if (message.contains("configuration " + key + ":") || message.endsWith("configuration " + key)) {
                return "kafka." + key + ": " + message;
            }
        }
        return "kafka: " + message;
    }

    private static int maxRequestSize(WorkerConfig config) {
        String configured = config.kafka().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        Object value = configured == null
                ? ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
                : ConfigDef.parseType(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, configured, ConfigDef.Type.INT);
        return (Integer) value;
    }
}
