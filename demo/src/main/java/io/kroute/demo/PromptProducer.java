package io.kroute.demo;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.PromptRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes prompts to the prompts topic as a producer application would: keyed by request id, idempotent. */
public final class PromptProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public PromptProducer(String bootstrapServers, String topic) {
        this(KafkaConnection.to(bootstrapServers), topic);
    }

    public PromptProducer(KafkaConnection connection, String topic) {
        Map<String, Object> config = KafkaClientConfigs.idempotentProducer(connection);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    public void send(PromptRequest request) {
        sendRaw(request.id(), Codecs.PROMPT_REQUEST.encode(request));
    }

    /** Sends bytes as they are, e.g. a malformed record that must come back as a dead letter. */
    public void sendRaw(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Blocks until every record sent so far is acknowledged by the broker. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }
}
