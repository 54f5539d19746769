package io.kroute.workers;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes with an idempotent producer ({@code acks=all}), so a record is acknowledged only once every in-sync
 * replica has it, and producer retries cannot duplicate it. The blocking {@code send} runs on the client's worker.
 */
public final class KafkaResultPublisher implements ResultPublisher {

    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final KafkaProducer<String, byte[]> producer;
    private final String responsesTopic;
    private final String deadLettersTopic;

    public KafkaResultPublisher(Vertx vertx, WorkerConfig config, String clientId) {
        this.producer = KafkaProducer.create(vertx, producerConfig(config, clientId), String.class, byte[].class);
        Topics topics = Topics.withPrefix(config.topicPrefix());
        this.responsesTopic = topics.responses().name();
        this.deadLettersTopic = topics.deadLetters().name();
    }

    static Map<String, String> producerConfig(WorkerConfig config, String clientId) {
        Map<String, String> properties = new HashMap<>();
        properties.put("linger.ms", "5");
        properties.putAll(config.kafka());
        properties.put("bootstrap.servers", config.bootstrapServers());
        properties.put("client.id", clientId);
        properties.put("acks", "all");
        properties.put("enable.idempotence", "true");
        properties.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        properties.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return properties;
    }

    @Override
    public Future<Void> publishResponse(LlmResponse response) {
        return producer.send(KafkaProducerRecord.create(
                        responsesTopic, response.requestId(), Codecs.LLM_RESPONSE.encode(response)))
                .mapEmpty();
    }

    @Override
    public Future<Void> publishDeadLetter(DeadLetter deadLetter) {
        return producer.send(KafkaProducerRecord.create(
                        deadLettersTopic, deadLetter.key(), Codecs.DEAD_LETTER.encode(deadLetter)))
                .mapEmpty();
    }

    @Override
    public Future<Void> close() {
        return producer.close(CLOSE_TIMEOUT_MS);
    }
}
