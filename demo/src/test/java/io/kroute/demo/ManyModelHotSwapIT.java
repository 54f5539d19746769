package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.retrain.PublishMain;
import io.kroute.router.ModelCard;
import io.kroute.router.multi.TrainedPredictor;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Topics;
import io.kroute.stream.ManyModelSettings;
import io.kroute.stream.ModelQueue;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A many-model router-stream, started from the Arena reference file as deployed and following a channel, serves a
 * predictor published with {@code kroute publish} without a restart: every prompt goes to one of its queues, named by
 * the predictor version that chose it. A predictor that does not know a configured model is dead-lettered and the one
 * in service stays.
 */
@Tag("integration")
@Timeout(240)
class ManyModelHotSwapIT {

    private static final TestKafka kafka = TestKafka.shared();
    static final List<String> QUEUES = List.of("gpt-4-1106-preview", "gpt-3-5-turbo", "mixtral-8x7b-instruct");
    private static final String SHIPPED = "kroute/routers/arena-predictor/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_published_predictor_replaces_the_one_in_service_and_one_missing_a_model_is_refused(@TempDir Path tmp)
            throws Exception {
        // given: the Arena reference file with three of its queues, following channel "arena"
        Topics topics = Topics.withPrefix("many-swap-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        RouterStreamSettings settings = arenaStream(tmp, topics, QUEUES, "arena");
        String shipped = shippedVersion("classpath:" + SHIPPED);
        Path second = predictorCopy(tmp.resolve("v2"), "quality-ridge-test-2", null);
        Path missing = predictorCopy(tmp.resolve("v3"), "quality-ridge-test-3", "gpt-3.5-turbo");

        try (PromptProducer prompts = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name());
                RouterStreamApp app = RouterStreamApp.start(settings)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(app.servedVersion()).isEqualTo(shipped);

            // when: 40 prompts, a second predictor published as a user does, 40 more
            send(prompts, 0, 40);
            Map<String, RoutedPrompt> routed = readQueues(topics, 40);
            publish(topics, second);
            awaitServed(app, "quality-ridge-test-2");
            send(prompts, 40, 80);
            routed = readQueues(topics, 80);

            // then: each prompt in exactly one queue, chosen by the version in service when it came
            assertThat(routed).hasSize(80);
            for (Map.Entry<String, RoutedPrompt> entry : routed.entrySet()) {
                int n = Integer.parseInt(entry.getKey().substring(2));
                assertThat(entry.getValue().decision().routerVersion())
                        .isEqualTo(n < 40 ? shipped : "quality-ridge-test-2");
                assertThat(QUEUES).contains(entry.getValue().decision().queue());
            }

            // and: a predictor that does not know a configured model is refused; the one in service stays
            publish(topics, missing);
            DeadLetter letter = readDeadLetter(topics);
            assertThat(letter.stage()).isEqualTo("router-models");
            assertThat(letter.reason())
                    .contains("quality-ridge-test-3 cannot be served")
                    .contains("does not know model 'gpt-3.5-turbo'");
            assertThat(app.servedVersion()).isEqualTo("quality-ridge-test-2");
        }
    }

    /**
     * The Arena reference file as deployed, on this cluster and these topics, with only {@code queues} of its models
     * and following {@code channel}.
     */
    static RouterStreamSettings arenaStream(Path tmp, Topics topics, List<String> queues, String channel)
            throws java.io.IOException {
        Properties reference = PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM_ARENA));
        Map<String, String> overrides = new HashMap<>();
        overrides.put("bootstrap.servers", kafka.bootstrapServers());
        overrides.put("application.id", "kroute-router-many-" + UUID.randomUUID());
        overrides.put(
                "state.dir", Files.createDirectories(tmp.resolve("streams")).toString());
        overrides.put(RouterStreamSettings.TOPIC_PREFIX, topics.prefix());
        overrides.put(RouterStreamSettings.METRICS_PORT, "0");
        overrides.put(RouterStreamSettings.MODEL_CHANNEL, channel);
        overrides.put(RouterStreamSettings.MODEL_DIR, tmp.resolve("models").toString());
        overrides.put(ManyModelSettings.MODELS, String.join(",", queues));
        for (ModelQueue q :
                RouterStreamSettings.fromProperties(reference).manyModels().queues()) {
            if (!queues.contains(q.queue())) {
                for (String suffix : ManyModelSettings.MODEL_SUFFIXES) {
                    overrides.put("kroute.model." + q.queue() + "." + suffix, null);
                }
            }
        }
        return RouterStreamSettings.withOverrides(reference, overrides);
    }

    /** The shipped predictor's files under another version, with one model renamed when {@code renamed} is set. */
    static Path predictorCopy(Path dir, String version, String renamed) throws Exception {
        Files.createDirectories(dir);
        for (String file : List.of(ModelCard.FILE, TrainedPredictor.GRAPH, TrainedPredictor.SAMPLE)) {
            try (InputStream in = ManyModelHotSwapIT.class.getClassLoader().getResourceAsStream(SHIPPED + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        ObjectNode card = (ObjectNode) JSON.readTree(dir.resolve(ModelCard.FILE).toFile());
        card.put("version", version);
        if (renamed != null) {
            ArrayNode models = (ArrayNode) card.get("models");
            for (int i = 0; i < models.size(); i++) {
                if (models.get(i).asText().equals(renamed)) {
                    models.set(i, renamed + "-elsewhere");
                }
            }
            ObjectNode lengths = (ObjectNode) card.get("output_tokens");
            lengths.set(renamed + "-elsewhere", lengths.remove(renamed));
        }
        JSON.writeValue(dir.resolve(ModelCard.FILE).toFile(), card);
        return dir;
    }

    /** What {@code kroute publish} runs. */
    private static void publish(Topics topics, Path dir) {
        PublishMain.main(new String[] {
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--dir", dir.toString(),
            "--channel", "arena",
            "--topic-prefix", topics.prefix()
        });
    }

    private static String shippedVersion(String reference) {
        try (TrainedPredictor shipped = TrainedPredictor.load(reference)) {
            return shipped.info().version();
        }
    }

    private static void send(PromptProducer producer, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new PromptRequest(
                    "p-" + i,
                    "t",
                    List.of(ChatMessage.user(
                            i % 2 == 0
                                    ? "Prove that there are infinitely many primes, number " + i
                                    : "Say hello, number " + i)),
                    null,
                    Map.of(),
                    null,
                    1));
        }
        producer.flush();
    }

    static Map<String, RoutedPrompt> readQueues(Topics topics, int expected) {
        return KafkaTestClients.readRouted(
                kafka.bootstrapServers(),
                QUEUES.stream().map(q -> topics.queue(q).name()).toList(),
                expected);
    }

    static void awaitServed(RouterStreamApp app, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!version.equals(app.servedVersion()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(app.servedVersion()).isEqualTo(version);
    }

    private static DeadLetter readDeadLetter(Topics topics) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(List.of(topics.deadLetters().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (letters.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(Codecs.DEAD_LETTER.decode(record.value()));
                }
            }
        }
        assertThat(letters).as("the refused predictor's dead letter").isNotEmpty();
        return letters.get(0);
    }
}
