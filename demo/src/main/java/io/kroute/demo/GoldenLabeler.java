package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the golden labeller of the feedback demo: as responses arrive, it labels a share of the requests (chosen by a
 * hash of the request id) with RouteLLM's recorded correctness of both models' answers, on the feedback topic.
 */
final class GoldenLabeler implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> responses;
    private final KafkaProducer<String, byte[]> feedback;
    private final Topics topics;
    private final Map<String, ReplayItem> items;
    private final int labelPercent;
    private final AtomicInteger labelled = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;

    GoldenLabeler(String bootstrapServers, Topics topics, Map<String, ReplayItem> items, int labelPercent) {
        this.topics = topics;
        this.items = Map.copyOf(items);
        this.labelPercent = labelPercent;
        Map<String, Object> consumerConfig = KafkaClientConfigs.committedReader(bootstrapServers);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "kroute-golden-labeler-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.responses = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.responses.subscribe(List.of(topics.responses().name()));
        Map<String, Object> producerConfig = KafkaClientConfigs.idempotentProducer(bootstrapServers);
        this.feedback = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.loop = new Thread(this::label, "golden-labeler");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /** The golden labels of a request: each model's recorded correctness on its benchmark item. */
    static List<Feedback> labels(String requestId, ReplayItem item) {
        return List.of(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL).stream()
                .map(model -> new Feedback(
                        requestId,
                        FeedbackSource.GOLDEN,
                        model,
                        null,
                        null,
                        item.answer(model).orElseThrow().correct(),
                        System.currentTimeMillis()))
                .toList();
    }

    boolean selected(String requestId) {
        CRC32C crc = new CRC32C();
        crc.update(("label:" + requestId).getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < labelPercent;
    }

    private void label() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : responses.poll(Duration.ofMillis(200))) {
                    LlmResponse response;
                    try {
                        response = Codecs.LLM_RESPONSE.decode(record.value());
                    } catch (InvalidMessageException e) {
                        continue;
                    }
                    ReplayItem item = items.get(response.requestId());
                    if (item == null || !selected(response.requestId())) {
                        continue;
                    }
                    for (Feedback label : labels(response.requestId(), item)) {
                        feedback.send(new ProducerRecord<>(
                                topics.feedback().name(), label.requestId(), Codecs.FEEDBACK.encode(label)));
                    }
                    feedback.flush();
                    labelled.incrementAndGet();
                }
            }
        } finally {
            responses.close(Duration.ofSeconds(5));
        }
    }

    /** Requests labelled so far (two labels each). */
    int labelled() {
        return labelled.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        loop.join(10_000);
        feedback.close(Duration.ofSeconds(10));
    }
}
