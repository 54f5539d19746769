package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.retrain.PromotionDecision;
import io.kroute.retrain.RetrainerApp;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop on a real broker: a stream serving the random router receives golden labels, the retrainer trains
 * version 2, promotes it, and the stream picks it up mid-stream; every prompt is scored once and names its version.
 */
@Tag("integration")
@Timeout(300)
class LearningLoopIT {

    private static final TestKafka kafka = TestKafka.shared();

    @Test
    void labels_train_a_router_that_is_promoted_and_picked_up_mid_stream(@TempDir Path tmp) throws Exception {
        // given
        Topics topics = Topics.withPrefix("loop-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        List<ReplayItem> items = ReplayDataset.loadBundled().items(ReplayDataset.GSM8K);
        // The loop's mechanics, not the reference kind, are under test: MF trains fastest on 1,000 labels.
        RetrainerConfig retrainerConfig = Pipeline.retrainerConfig(
                kafka.bootstrapServers(),
                topics,
                Map.of(
                        "kroute.retrainer.kind", "mf",
                        "kroute.retrainer.hyperparameters", "",
                        "kroute.retrainer.min-new-labels", "2000",
                        "kroute.retrainer.min-held-out", "100",
                        "kroute.retrainer.work-dir", tmp.resolve("retrainer").toString(),
                        "kroute.retrainer.serving-router", "random"));
        RouterStreamSettings streamSettings = Pipeline.streamSettings(
                kafka.bootstrapServers(),
                topics,
                Map.of(
                        RouterStreamSettings.ROUTER,
                        "random",
                        RouterStreamSettings.MODEL_CHANNEL,
                        retrainerConfig.settings().channel()));

        try (RouterStreamApp stream = RouterStreamApp.start(streamSettings);
                RetrainerApp retrainer = RetrainerApp.start(retrainerConfig);
                PromptProducer prompts = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name());
                KafkaProducer<String, byte[]> feedback = KafkaTestClients.producer(kafka.bootstrapServers())) {
            assertThat(stream.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // when: 1,000 prompts are routed by version 1 and labelled (two golden labels each)
            send(prompts, items, 0, 1_000);
            Map<String, RoutedPrompt> routed = KafkaTestClients.readRouted(kafka.bootstrapServers(), topics, 1_000);
            for (int i = 0; i < 1_000; i++) {
                ReplayItem item = items.get(i);
                for (Feedback label : GoldenLabeler.labels("q-" + i, item)) {
                    feedback.send(new ProducerRecord<>(
                            topics.feedback().name(), label.requestId(), Codecs.FEEDBACK.encode(label)));
                }
            }
            feedback.flush();
            PromotionDecision decision = awaitDecision(retrainer);
            awaitServed(stream, decision.candidateVersion());
            send(prompts, items, 1_000, 1_300);
            routed = KafkaTestClients.readRouted(kafka.bootstrapServers(), topics, 1_300);

            // then
            assertThat(decision.promoted()).as(decision.reason()).isTrue();
            assertThat(decision.candidateApgr()).isGreaterThanOrEqualTo(decision.servingApgr());
            assertThat(routed).hasSize(1_300);
            for (Map.Entry<String, RoutedPrompt> entry : routed.entrySet()) {
                int n = Integer.parseInt(entry.getKey().substring(2));
                assertThat(entry.getValue().decision().routerVersion())
                        .isEqualTo(n < 1_000 ? "seed-0" : decision.candidateVersion());
            }
        }
    }

    private static void send(PromptProducer producer, List<ReplayItem> items, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new PromptRequest(
                    "q-" + i, "t", List.of(ChatMessage.user(items.get(i).prompt())), null, Map.of(), null, 0));
        }
        producer.flush();
    }

    private static PromotionDecision awaitDecision(RetrainerApp retrainer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (retrainer.decisions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(retrainer.decisions()).as("a retraining round ran").isNotEmpty();
        return retrainer.decisions().get(0);
    }

    private static void awaitServed(RouterStreamApp stream, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!version.equals(stream.servedVersion()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(stream.servedVersion()).isEqualTo(version);
    }
}
