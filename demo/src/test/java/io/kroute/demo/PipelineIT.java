package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A prompt's whole way through real parts: a real broker, the router-stream with exactly-once, the workers calling the
 * replay endpoint over HTTP, and a read_committed consumer of the outcomes.
 */
@Tag("integration")
@Timeout(300)
class PipelineIT {

    private static final TestKafka kafka = TestKafka.shared();

    @Test
    void thousand_prompts_with_twenty_malformed_give_980_responses_and_20_dead_letters() throws Exception {
        // given
        Topics topics = Topics.withPrefix("pipe-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 4);
        ReplayDataset dataset = ReplayDataset.loadBundled();
        List<ReplayItem> items = dataset.items(ReplayDataset.GSM8K).subList(0, 980);
        Set<String> expected = new LinkedHashSet<>();

        try (Pipeline pipeline = Pipeline.start(
                        kafka.bootstrapServers(),
                        topics,
                        dataset,
                        Map.of(
                                RouterStreamSettings.ROUTER,
                                "random:11",
                                RouterStreamSettings.THRESHOLD,
                                "0.5",
                                RouterStreamSettings.CALIBRATION,
                                "card"),
                        0,
                        DemoFaults.none(),
                        0);
                OutcomeCollector collector = new OutcomeCollector(kafka.bootstrapServers(), topics);
                PromptProducer producer = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name())) {

            // when
            int nextItem = 0;
            for (int i = 0; i < 1000; i++) {
                String id;
                if (i % 50 == 17) {
                    id = "bad-" + i;
                    producer.sendRaw(id, DemoRun.malformed(i).getBytes(StandardCharsets.UTF_8));
                } else {
                    id = "req-" + i;
                    String prompt = items.get(nextItem++).prompt();
                    producer.send(new PromptRequest(
                            id,
                            "it",
                            List.of(ChatMessage.user(prompt)),
                            1024,
                            Map.of(),
                            null,
                            System.currentTimeMillis()));
                }
                expected.add(id);
            }
            producer.flush();
            List<String> missing = collector.awaitAll(expected, Duration.ofSeconds(180), done -> {});
            collector.drain(Duration.ofSeconds(2));

            // then
            assertThat(missing).isEmpty();
            Map<String, Outcome> outcomes = collector.outcomes();
            assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(collector.duplicates()).isEmpty();
            assertThat(collector.unreadable()).isZero();
            List<Outcome> answered =
                    outcomes.values().stream().filter(Outcome::answered).toList();
            assertThat(answered).hasSize(980);
            assertThat(outcomes.values().stream().filter(o -> !o.answered())).hasSize(20);
            assertThat(outcomes.entrySet().stream()
                            .filter(e -> !e.getValue().answered())
                            .map(Map.Entry::getKey))
                    .allMatch(id -> id.startsWith("bad-"));
            for (Outcome outcome : answered) {
                LlmResponse response = outcome.response();
                assertThat(response.status()).isEqualTo(ResponseStatus.OK);
                assertThat(response.model())
                        .isEqualTo(
                                response.tier() == Tier.STRONG ? ReplayDataset.STRONG_MODEL : ReplayDataset.WEAK_MODEL);
                assertThat(response.promptTokens()).isPositive();
                assertThat(response.completionTokens()).isPositive();
                assertThat(response.costUsd()).isPositive();
                assertThat(response.text()).isNotBlank();
            }
            long strong = answered.stream()
                    .filter(o -> o.response().tier() == Tier.STRONG)
                    .count();
            assertThat(strong)
                    .as("random router at 0.5 sends about half to strong")
                    .isBetween(400L, 580L);
        }
    }
}
