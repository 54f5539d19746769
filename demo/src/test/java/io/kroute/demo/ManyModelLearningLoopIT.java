package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.retrain.PredictorDecision;
import io.kroute.retrain.RetrainerApp;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.router.multi.TrainedPredictor;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
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
 * The many-model learning loop on a real broker, both processes started as deployed: a router-stream on the Arena
 * reference file (three queues) follows channel "arena"; a retrainer of kind quality-ridge corrects the predictor in
 * service from ratings of the answers the queues' models gave, publishes it, and the stream serves it mid-stream.
 * Every prompt is routed once, by the version in service when it came.
 */
@Tag("integration")
@Timeout(300)
class ManyModelLearningLoopIT {

    private static final TestKafka kafka = TestKafka.shared();
    private static final String SHIPPED = "classpath:kroute/routers/arena-predictor";
    private static final String MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    private static final String GPT4 = "gpt-4-1106-preview";

    @Test
    void ratings_correct_the_predictor_which_the_stream_then_serves(@TempDir Path tmp) throws Exception {
        // given
        Topics topics = Topics.withPrefix("many-loop-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        String shipped = shippedVersion(SHIPPED);
        RetrainerConfig retrainerConfig =
                Pipeline.retrainerConfig(kafka.bootstrapServers(), topics, loop(tmp.resolve("retrainer")));

        try (RouterStreamApp stream = RouterStreamApp.start(
                        ManyModelHotSwapIT.arenaStream(tmp, topics, ManyModelHotSwapIT.QUEUES, "arena"));
                RetrainerApp retrainer = RetrainerApp.start(retrainerConfig);
                PromptProducer prompts = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name());
                KafkaProducer<String, byte[]> feedback = KafkaTestClients.producer(kafka.bootstrapServers())) {
            assertThat(stream.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // when: 300 prompts routed by the shipped predictor, and two answers of each rated (an evaluation of
            // the deployment: a promotion is decided on requests labelled for two or more models): Mixtral writes
            // limericks well and fails at calculus, GPT-4-1106 does both well
            send(prompts, 0, 300);
            Map<String, RoutedPrompt> routed = ManyModelHotSwapIT.readQueues(topics, 300);
            for (int i = 0; i < 300; i++) {
                String id = "m-" + i;
                for (Feedback label : List.of(
                        new Feedback(id, FeedbackSource.HUMAN, MIXTRAL, null, i % 2 == 0 ? 0.95 : 0.1, null, 1),
                        new Feedback(id, FeedbackSource.HUMAN, GPT4, null, 0.9, null, 1))) {
                    feedback.send(new ProducerRecord<>(topics.feedback().name(), id, Codecs.FEEDBACK.encode(label)));
                }
            }
            feedback.flush();
            PredictorDecision decision = awaitDecision(retrainer);
            ManyModelHotSwapIT.awaitServed(stream, decision.candidateVersion());
            send(prompts, 300, 360);
            routed = ManyModelHotSwapIT.readQueues(topics, 360);

            // then
            assertThat(decision.promoted()).as(decision.reason()).isTrue();
            assertThat(decision.candidateSelection()).isGreaterThan(decision.servingSelection());
            assertThat(decision.servingVersion()).isEqualTo(shipped);
            assertThat(routed).hasSize(360);
            for (Map.Entry<String, RoutedPrompt> entry : routed.entrySet()) {
                int n = Integer.parseInt(entry.getKey().substring(2));
                assertThat(entry.getValue().decision().routerVersion())
                        .isEqualTo(n < 300 ? shipped : decision.candidateVersion());
                assertThat(ManyModelHotSwapIT.QUEUES)
                        .contains(entry.getValue().decision().queue());
            }

            // and: a retrainer started again compares with what the channel serves, not with the configured one
            try (RetrainerApp restarted = RetrainerApp.start(
                    Pipeline.retrainerConfig(kafka.bootstrapServers(), topics, loop(tmp.resolve("again"))))) {
                assertThat(restarted.servingVersion()).isEqualTo(decision.candidateVersion());
            }
        }
    }

    @Test
    void the_channel_read_back_at_start_skips_what_it_cannot_read_or_trust(@TempDir Path tmp) throws Exception {
        // given: a predictor published unsigned on channel "arena", then a record under the same key that is none
        Topics topics = Topics.withPrefix("many-loop-read-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 1);
        Path second = ManyModelHotSwapIT.predictorCopy(tmp.resolve("v2"), "quality-ridge-test-2", null);
        io.kroute.retrain.PublishMain.main(new String[] {
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--dir", second.toString(),
            "--channel", "arena",
            "--topic-prefix", topics.prefix()
        });
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(
                            topics.routerModels().name(),
                            "arena",
                            "{\"channel\": \"arena\", \"version\": ["
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get();
        }
        Path key = tmp.resolve("retrainer.key.pem");
        java.nio.file.Files.writeString(
                key,
                io.kroute.schemas.SigningKeys.privatePem(
                        io.kroute.schemas.SigningKeys.generate().getPrivate()));
        Map<String, String> signed = new java.util.HashMap<>(loop(tmp.resolve("signed")));
        signed.put("kroute.models.signing-key", key.toString());

        // when / then: without a key, the newest readable version is the baseline (the damaged record skipped)
        try (RetrainerApp app = RetrainerApp.start(
                Pipeline.retrainerConfig(kafka.bootstrapServers(), topics, loop(tmp.resolve("unsigned"))))) {
            assertThat(app.servingVersion()).isEqualTo("quality-ridge-test-2");
        }
        // with a key, a version it did not sign is not taken: the configured predictor is
        try (RetrainerApp app =
                RetrainerApp.start(Pipeline.retrainerConfig(kafka.bootstrapServers(), topics, signed))) {
            assertThat(app.servingVersion()).isEqualTo(shippedVersion(SHIPPED));
        }
    }

    private static Map<String, String> loop(Path workDir) {
        return Map.of(
                "kroute.retrainer.kind", "quality-ridge",
                "kroute.retrainer.hyperparameters", "",
                "kroute.retrainer.serving-router", SHIPPED,
                "kroute.retrainer.min-new-labels", "600",
                "kroute.retrainer.min-held-out", "20",
                "kroute.retrainer.work-dir", workDir.toString(),
                "kroute.models.channel", "arena");
    }

    @Test
    void a_many_model_loop_that_cannot_work_is_refused_at_start_by_the_key_at_fault(@TempDir Path tmp) {
        Topics topics = Topics.withPrefix("many-loop-bad-" + UUID.randomUUID() + "-");
        Map<String, String> loop = Map.of(
                "kroute.retrainer.kind",
                "quality-ridge",
                "kroute.retrainer.hyperparameters",
                "",
                "kroute.retrainer.serving-router",
                SHIPPED,
                "kroute.retrainer.work-dir",
                tmp.toString());
        Map<String, String> notAPredictor = new java.util.HashMap<>(loop);
        notAPredictor.put("kroute.retrainer.serving-router", "random");
        Map<String, String> noPrices = new java.util.HashMap<>(loop);
        noPrices.put("kroute.retrainer.prices", tmp.resolve("nowhere.json").toString());
        Map<String, String> judged = new java.util.HashMap<>(loop);
        judged.putAll(Map.of(
                "kroute.judge.share", "0.1",
                "kroute.judge.strong-url", "http://127.0.0.1:1",
                "kroute.judge.weak-url", "http://127.0.0.1:1",
                "kroute.judge.url", "http://127.0.0.1:1",
                "kroute.judge.model", "judge"));
        Map<String, String> otherEncoder = new java.util.HashMap<>(loop);
        otherEncoder.put("kroute.retrainer.encoder", "bge-small-static");
        Map<String, String> heldOutAll = new java.util.HashMap<>(loop);
        heldOutAll.put("kroute.retrainer.held-out-pct", "95");
        Map<Map<String, String>, String> expected = Map.of(
                heldOutAll, "kroute.retrainer.held-out-pct",
                notAPredictor, "kroute.retrainer.serving-router",
                noPrices, "kroute.retrainer.prices",
                judged, "kroute.judge.share must be 0",
                otherEncoder, "kroute.retrainer.encoder");
        expected.forEach((settings, message) -> org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RetrainerApp.start(Pipeline.retrainerConfig(kafka.bootstrapServers(), topics, settings))
                                .close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message));
    }

    private static String shippedVersion(String reference) {
        try (TrainedPredictor shipped = TrainedPredictor.load(reference)) {
            return shipped.info().version();
        }
    }

    private static void send(PromptProducer producer, int from, int to) {
        for (int i = from; i < to; i++) {
            String text = i % 2 == 0
                    ? "Write a limerick about a cat who learns to sail, number " + i
                    : "Compute the derivative of x^" + (2 + i % 7) + " * sin(" + (1 + i % 5) + "x), number " + i;
            producer.send(new PromptRequest("m-" + i, "t", List.of(ChatMessage.user(text)), null, Map.of(), null, 0));
        }
        producer.flush();
    }

    private static PredictorDecision awaitDecision(RetrainerApp retrainer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (retrainer.predictorDecisions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(retrainer.predictorDecisions()).as("a retraining round ran").isNotEmpty();
        return retrainer.predictorDecisions().get(0);
    }
}
