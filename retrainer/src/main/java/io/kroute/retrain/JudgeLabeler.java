package io.kroute.retrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.Json;
import io.kroute.schemas.JudgePrompt;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RouteLLM's judge augmentation, off by default: a configured share of routed prompts (chosen by a hash of the
 * request id) is also sent to the other tier's model, and both answers to a judge model with MT-Bench's pairwise
 * prompt; the verdict becomes a {@code judge} label on the feedback topic. All three are OpenAI-compatible endpoints
 * (with the replay endpoint, its {@code replay-judge} model judges by the recorded correctness).
 */
public final class JudgeLabeler implements AutoCloseable {

    /**
     * @param share the share of requests judged, in [0, 1]
     * @param endpoints base URL (without {@code /v1}) of each tier's model, by tier
     * @param models the model of each tier
     * @param judgeUrl the judge's base URL
     * @param judgeModel the judge's model name
     */
    public record Settings(
            double share, Map<Tier, String> endpoints, Map<Tier, String> models, String judgeUrl, String judgeModel) {}

    private static final Logger LOG = LoggerFactory.getLogger(JudgeLabeler.class);

    private final Settings settings;
    private final Topics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> feedback;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, RoutedPrompt> prompts = new ConcurrentHashMap<>();
    private final Map<String, LlmResponse> responses = new ConcurrentHashMap<>();
    private final AtomicInteger labelled = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;

    public JudgeLabeler(String bootstrapServers, Topics topics, Settings settings) {
        this(KafkaConnection.to(bootstrapServers), topics, settings);
    }

    public JudgeLabeler(KafkaConnection connection, Topics topics, Settings settings) {
        this.settings = settings;
        this.topics = topics;
        Map<String, Object> consumerConfig = KafkaClientConfigs.committedReader(connection);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "kroute-judge-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(
                topics.strongQueue().name(),
                topics.weakQueue().name(),
                topics.responses().name()));
        Map<String, Object> producerConfig = KafkaClientConfigs.idempotentProducer(connection);
        this.feedback = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.loop = new Thread(this::run, "judge-labeler");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    boolean selected(String requestId) {
        CRC32C crc = new CRC32C();
        crc.update(("judge:" + requestId).getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 10_000 < Math.round(settings.share() * 10_000);
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        accept(record);
                    } catch (InvalidMessageException e) {
                        // unreadable records are dead-lettered by the stages that own these topics
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("judging request {} failed: {}", record.key(), e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) throws IOException, InterruptedException {
        if (record.key() == null || !selected(record.key())) {
            return;
        }
        // The routed prompt and its response come from different topics, in either order: judge when both are in.
        RoutedPrompt routed;
        LlmResponse answered;
        if (!record.topic().equals(topics.responses().name())) {
            routed = Codecs.ROUTED_PROMPT.decode(record.value());
            answered = responses.remove(record.key());
            if (answered == null) {
                prompts.put(record.key(), routed);
                return;
            }
        } else {
            answered = Codecs.LLM_RESPONSE.decode(record.value());
            routed = prompts.remove(record.key());
            if (routed == null) {
                responses.put(record.key(), answered);
                return;
            }
        }
        judge(record.key(), routed, answered);
    }

    private void judge(String requestId, RoutedPrompt routed, LlmResponse answered)
            throws IOException, InterruptedException {
        Tier answeredTier = answered.model().equals(settings.models().get(Tier.STRONG)) ? Tier.STRONG : Tier.WEAK;
        Tier other = answeredTier.other();
        String question = routed.request().lastUserText();
        String otherAnswer =
                complete(settings.endpoints().get(other), settings.models().get(other), question);
        String strongAnswer = answeredTier == Tier.STRONG ? answered.text() : otherAnswer;
        String weakAnswer = answeredTier == Tier.WEAK ? answered.text() : otherAnswer;
        // Position bias: the strong answer goes first on even hashes, second on odd ones.
        boolean strongFirst = (requestId.hashCode() & 1) == 0;
        String judgement = complete(
                settings.judgeUrl(),
                settings.judgeModel(),
                JudgePrompt.pairwise(
                        question, strongFirst ? strongAnswer : weakAnswer, strongFirst ? weakAnswer : strongAnswer));
        Optional<Character> verdict = JudgePrompt.verdict(judgement);
        if (verdict.isEmpty()) {
            LOG.warn("judge gave no verdict for {}: {}", requestId, judgement);
            return;
        }
        String preferred =
                switch (verdict.get()) {
                    case 'A' -> strongFirst ? "strong" : "weak";
                    case 'B' -> strongFirst ? "weak" : "strong";
                    default -> "tie";
                };
        Feedback label =
                new Feedback(requestId, FeedbackSource.JUDGE, null, preferred, null, null, System.currentTimeMillis());
        feedback.send(new ProducerRecord<>(topics.feedback().name(), requestId, Codecs.FEEDBACK.encode(label)));
        labelled.incrementAndGet();
    }

    private String complete(String baseUrl, String model, String userTurn) throws IOException, InterruptedException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", userTurn);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(model + " at " + baseUrl + " answered " + response.statusCode());
        }
        JsonNode json = Json.MAPPER.readTree(response.body());
        return Optional.ofNullable(json.path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .textValue())
                .orElseThrow(() -> new IOException(model + " returned no message content"));
    }

    /** Requests judged so far. */
    public int labelled() {
        return labelled.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        loop.join(10_000);
        feedback.close(Duration.ofSeconds(10));
    }
}
