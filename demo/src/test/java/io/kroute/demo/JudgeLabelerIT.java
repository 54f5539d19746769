package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.replay.ReplayJudge;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.retrain.RetrainerApp;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Judge labelling on a real broker over real HTTP: the other tier's model answers too, the replay judge compares the
 * two answers, and the verdict lands on the feedback topic as a judge label that agrees with the recorded correctness.
 */
@Tag("integration")
@Timeout(180)
class JudgeLabelerIT {

    @Test
    void answered_requests_get_judge_labels_that_agree_with_the_recorded_correctness() throws Exception {
        List<ReplayItem> items =
                ReplayDataset.loadBundled().items(ReplayDataset.GSM8K).subList(0, 40);
        Vertx vertx = Vertx.vertx();
        TestKafka kafka = TestKafka.shared();
        try {
            // given: prompts routed and answered as the pipeline would have done it
            Topics topics = Topics.withPrefix("judge-" + UUID.randomUUID() + "-");
            kafka.createTopics(topics, 2);
            ReplayServer replay = ReplayServer.deploy(
                            vertx, ReplayDataset.loadBundled(), ReplayServerOptions.defaults())
                    .await(30, TimeUnit.SECONDS);
            Map<Tier, String> models =
                    Map.of(Tier.STRONG, ReplayDataset.STRONG_MODEL, Tier.WEAK, ReplayDataset.WEAK_MODEL);
            // the retrainer process as deployed, its judge labelling turned on for every request
            RetrainerConfig config = Pipeline.retrainerConfig(
                    kafka.bootstrapServers(),
                    topics,
                    Map.of(
                            "kroute.judge.share", "1.0",
                            "kroute.judge.strong-url", replay.baseUrl(),
                            "kroute.judge.weak-url", replay.baseUrl(),
                            "kroute.judge.url", replay.baseUrl(),
                            "kroute.judge.model", ReplayJudge.MODEL,
                            "kroute.retrainer.work-dir", Pipeline.tempDir("judge-retrainer")));
            Map<String, String> expected = new HashMap<>();
            try (RetrainerApp retrainer = RetrainerApp.start(config);
                    KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(kafka.bootstrapServers())) {
                for (int i = 0; i < items.size(); i++) {
                    ReplayItem item = items.get(i);
                    Tier tier = i % 2 == 0 ? Tier.STRONG : Tier.WEAK;
                    String id = "j-" + i;
                    RoutedPrompt routed = new RoutedPrompt(
                            new PromptRequest(
                                    id, "t", List.of(ChatMessage.user(item.prompt())), null, Map.of(), null, 1),
                            new RoutingDecision(tier, models.get(tier), 0.5, "random", "seed-0", 0.5, false, 1));
                    producer.send(
                            new ProducerRecord<>(topics.queue(tier).name(), id, Codecs.ROUTED_PROMPT.encode(routed)));
                    String model = models.get(tier);
                    LlmResponse response = new LlmResponse(
                            id,
                            "t",
                            tier,
                            model,
                            item.answer(model).orElseThrow().text(),
                            "stop",
                            10,
                            10,
                            0.001,
                            5,
                            1,
                            ResponseStatus.OK,
                            "seed-0",
                            1,
                            2);
                    producer.send(
                            new ProducerRecord<>(topics.responses().name(), id, Codecs.LLM_RESPONSE.encode(response)));
                    boolean strongRight = item.answer(ReplayDataset.STRONG_MODEL)
                            .orElseThrow()
                            .correct();
                    boolean weakRight =
                            item.answer(ReplayDataset.WEAK_MODEL).orElseThrow().correct();
                    expected.put(id, strongRight == weakRight ? "tie" : strongRight ? "strong" : "weak");
                }
                producer.flush();

                // when
                Map<String, Feedback> labels = readFeedback(kafka, topics, items.size());

                // then
                assertThat(labels).hasSize(items.size());
                for (Map.Entry<String, Feedback> entry : labels.entrySet()) {
                    assertThat(entry.getValue().source()).isEqualTo(FeedbackSource.JUDGE);
                    assertThat(entry.getValue().preferred()).as(entry.getKey()).isEqualTo(expected.get(entry.getKey()));
                }
                assertThat(expected.values()).contains("strong", "tie");
                assertThat(retrainer.judge().orElseThrow().labelled()).isEqualTo(items.size());
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Feedback> readFeedback(TestKafka kafka, Topics topics, int expected) {
        Map<String, Feedback> labels = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(List.of(topics.feedback().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (labels.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    labels.put(record.key(), Codecs.FEEDBACK.decode(record.value()));
                }
            }
        }
        return labels;
    }
}
