package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import io.kroute.router.ThresholdCalibrator;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The routing topology with exactly-once on a real broker: every prompt lands on exactly one queue or dead letters. */
@Tag("integration")
@Timeout(180)
class RouterStreamIT {

    private static final TestKafka kafka = TestKafka.shared();

    @Test
    void every_prompt_lands_on_exactly_one_queue_or_the_dead_letter_topic() throws Exception {
        // given
        Topics topics = Topics.withPrefix("rs-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 3);
        RouterStreamSettings settings = Pipeline.streamSettings(
                kafka.bootstrapServers(),
                topics,
                Map.of(
                        RouterStreamSettings.ROUTER,
                        "random:1",
                        RouterStreamSettings.THRESHOLD,
                        "0.5",
                        RouterStreamSettings.CALIBRATION,
                        "card"));

        try (RouterStreamApp app = RouterStreamApp.start(settings);
                PromptProducer producer = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // when
            for (int i = 0; i < 200; i++) {
                if (i % 20 == 7) {
                    producer.sendRaw("p-" + i, ("{broken " + i).getBytes(StandardCharsets.UTF_8));
                } else {
                    producer.send(new PromptRequest(
                            "p-" + i, "t", List.of(ChatMessage.user("question " + i)), 32, Map.of(), null, 1));
                }
            }
            producer.flush();

            // then
            Map<String, Tier> routed = new HashMap<>();
            Set<String> dead = new HashSet<>();
            int duplicates = 0;
            try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
                consumer.subscribe(List.of(
                        topics.strongQueue().name(),
                        topics.weakQueue().name(),
                        topics.deadLetters().name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (routed.size() + dead.size() < 200 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.topic().equals(topics.deadLetters().name())) {
                            DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
                            duplicates += dead.add(letter.key()) ? 0 : 1;
                        } else {
                            RoutedPrompt prompt = Codecs.ROUTED_PROMPT.decode(record.value());
                            Tier expected =
                                    record.topic().equals(topics.strongQueue().name()) ? Tier.STRONG : Tier.WEAK;
                            assertThat(prompt.decision().tier()).isEqualTo(expected);
                            assertThat(record.key()).isEqualTo(prompt.request().id());
                            duplicates += routed.put(record.key(), expected) == null ? 0 : 1;
                        }
                    }
                }
            }
            assertThat(dead).hasSize(10);
            assertThat(routed).hasSize(190);
            assertThat(duplicates).isZero();
            long strong = routed.values().stream().filter(t -> t == Tier.STRONG).count();
            assertThat(strong).as("random router at threshold 0.5").isBetween(60L, 130L);
        }
    }

    /** Scores what the prompt says ("score 0.734"); its card threshold for a share p is 1 - p. */
    private record SaysItsScore() implements Router {
        @Override
        public double score(String prompt) {
            return Double.parseDouble(prompt.substring("score ".length()));
        }

        @Override
        public double thresholdForStrongShare(double strongShare) {
            return 1 - strongShare;
        }

        @Override
        public RouterInfo info() {
            return new RouterInfo("says", "v1");
        }
    }

    @Test
    void traffic_calibration_window_survives_a_restart_on_an_empty_state_directory() throws Exception {
        // given: one partition, so one task and one window; traffic scoring above the card's calibration
        Topics topics = Topics.withPrefix("rs-tc-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 1);
        String applicationId = "rs-tc-it-" + UUID.randomUUID();
        Map<String, String> routing = Map.of(
                RouterStreamSettings.STRONG_SHARE,
                "0.3",
                RouterStreamSettings.CALIBRATION,
                "traffic",
                RouterStreamSettings.CALIBRATION_WINDOW,
                "300",
                RouterStreamSettings.CALIBRATION_WARMUP,
                "50",
                "application.id",
                applicationId,
                // a closed Kafka Streams instance does not leave its group: the next one waits out the session
                "consumer.session.timeout.ms",
                "6000");
        Random random = new Random(5);
        List<Double> sent = new ArrayList<>();

        // when: 400 prompts, then the stream stops and a new instance starts on an empty state directory
        Map<String, RoutedPrompt> first = runAndRoute(topics, routing, random, sent, 0, 400);
        Map<String, RoutedPrompt> second = runAndRoute(topics, routing, random, sent, 400, 1);

        // then: the first 49 decisions used the card, later ones the window; after the restart the window was
        // restored from the changelog: the decision's threshold is the 70th percentile of the last 300 scores sent
        assertThat(first.get("p-10").decision().threshold()).isEqualTo(0.7);
        assertThat(first.get("p-399").decision().threshold()).isGreaterThan(0.8);
        double[] window = sent.subList(sent.size() - 300, sent.size()).stream()
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        assertThat(second.get("p-400").decision().threshold())
                .isCloseTo(ThresholdCalibrator.quantile(window, 0.7), org.assertj.core.data.Offset.offset(1e-6));
        long strong = first.values().stream()
                .filter(p -> Integer.parseInt(p.request().id().substring(2)) >= 100
                        && p.decision().tier() == Tier.STRONG)
                .count();
        assertThat(strong)
                .as("strong calls among the 300 warm decisions, target 30%")
                .isBetween(65L, 115L);
    }

    private Map<String, RoutedPrompt> runAndRoute(
            Topics topics, Map<String, String> routing, Random random, List<Double> sent, int from, int count)
            throws Exception {
        // a new state directory each time (Pipeline.streamSettings makes one): the window comes from the changelog
        RouterStreamSettings settings = Pipeline.streamSettings(kafka.bootstrapServers(), topics, routing);
        try (RouterStreamApp app = RouterStreamApp.start(settings, new SaysItsScore(), dir -> {
                    throw new IllegalStateException("follows no channel");
                });
                PromptProducer producer = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            for (int i = from; i < from + count; i++) {
                String text = String.format(Locale.ROOT, "score %.6f", 0.6 + 0.4 * random.nextDouble());
                sent.add(Double.parseDouble(text.substring("score ".length())));
                producer.send(new PromptRequest("p-" + i, "t", List.of(ChatMessage.user(text)), 32, Map.of(), null, 1));
            }
            producer.flush();
            Map<String, RoutedPrompt> routed =
                    KafkaTestClients.readRouted(kafka.bootstrapServers(), topics, from + count);
            assertThat(routed).hasSize(from + count);
            Map<String, RoutedPrompt> fresh = new HashMap<>();
            routed.forEach((id, prompt) -> {
                if (Integer.parseInt(id.substring(2)) >= from) {
                    fresh.put(id, prompt);
                }
            });
            return fresh;
        }
    }
}
