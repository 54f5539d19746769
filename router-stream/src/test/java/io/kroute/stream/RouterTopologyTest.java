package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouterTopologyTest {

    private static final Topics TOPICS = TopologyHarness.TOPICS;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    private TopologyHarness harness;
    private TestInputTopic<byte[], byte[]> prompts;
    private TestOutputTopic<String, RoutedPrompt> strong;
    private TestOutputTopic<String, RoutedPrompt> weak;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void startDriver() {
        RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.5, "big-model", "small-model", CLOCK);
        harness = new TopologyHarness(policy);
        prompts = harness.prompts;
        strong = harness.strong;
        weak = harness.weak;
        deadLetters = harness.deadLetters;
    }

    @AfterEach
    void closeDriver() {
        harness.close();
    }

    private void send(String key, String json) {
        prompts.pipeInput(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    private void send(PromptRequest request) {
        prompts.pipeInput(request.id().getBytes(StandardCharsets.UTF_8), Codecs.PROMPT_REQUEST.encode(request));
    }

    private static PromptRequest prompt(String id, String text) {
        return new PromptRequest(id, "t", List.of(ChatMessage.user(text)), 100, Map.of(), null, 5);
    }

    @Test
    void scores_at_or_above_the_threshold_go_to_the_strong_queue_and_the_rest_to_the_weak_queue() {
        // given
        PromptRequest hard = prompt("a", "a hard proof");
        PromptRequest easy = prompt("b", "say hi");

        // when
        send(hard);
        send(easy);

        // then
        List<KeyValue<String, RoutedPrompt>> strongOut = strong.readKeyValuesToList();
        List<KeyValue<String, RoutedPrompt>> weakOut = weak.readKeyValuesToList();
        assertThat(strongOut).hasSize(1);
        assertThat(weakOut).hasSize(1);
        assertThat(strongOut.get(0).key).isEqualTo("a");
        assertThat(strongOut.get(0).value.request()).isEqualTo(hard);
        assertThat(strongOut.get(0).value.decision().tier()).isEqualTo(Tier.STRONG);
        assertThat(strongOut.get(0).value.decision().model()).isEqualTo("big-model");
        assertThat(strongOut.get(0).value.decision().score()).isEqualTo(0.9);
        assertThat(strongOut.get(0).value.decision().router()).isEqualTo("fixed");
        assertThat(strongOut.get(0).value.decision().routerVersion()).isEqualTo("test-1");
        assertThat(strongOut.get(0).value.decision().threshold()).isEqualTo(0.5);
        assertThat(strongOut.get(0).value.decision().routedAt()).isEqualTo(1_000);
        assertThat(weakOut.get(0).value.decision().tier()).isEqualTo(Tier.WEAK);
        assertThat(weakOut.get(0).value.decision().model()).isEqualTo("small-model");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void threshold_is_inclusive() {
        RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.9, "big", "small", CLOCK);
        assertThat(policy.decide(prompt("x", "hard")).tier()).isEqualTo(Tier.STRONG);
        assertThat(policy.decide(prompt("y", "easy")).tier()).isEqualTo(Tier.WEAK);
    }

    @Test
    void a_forced_tier_overrides_the_score_and_says_so() {
        PromptRequest forced = new PromptRequest(
                "f", "t", List.of(ChatMessage.user("say hi")), null, null, new RoutingHints(Tier.STRONG), 5);

        send(forced);

        RoutedPrompt out = strong.readValue();
        assertThat(out.decision().forced()).isTrue();
        assertThat(out.decision().score()).isEqualTo(0.1);
        assertThat(weak.isEmpty()).isTrue();
    }

    @Test
    void records_are_rekeyed_by_request_id_and_stamped_with_the_record_time_when_the_producer_did_not() {
        prompts.pipeInput(
                "tenant-key".getBytes(StandardCharsets.UTF_8),
                "{\"id\":\"r-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
                        .getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochMilli(4_242));

        KeyValue<String, RoutedPrompt> out = weak.readKeyValue();
        assertThat(out.key).isEqualTo("r-9");
        assertThat(out.value.request().createdAt()).isEqualTo(4_242);
    }

    @Test
    void malformed_json_goes_to_dead_letters_with_its_bytes_and_reason() {
        // given
        String garbage = "{\"id\": \"m-1\", \"messages\": [";

        // when
        send("m-1", garbage);

        // then
        KeyValue<String, DeadLetter> out = deadLetters.readKeyValue();
        assertThat(out.key).isEqualTo("m-1");
        assertThat(out.value.reason()).startsWith("not valid JSON");
        assertThat(new String(out.value.original(), StandardCharsets.UTF_8)).isEqualTo(garbage);
        assertThat(out.value.sourceTopic()).isEqualTo(TOPICS.prompts().name());
        assertThat(out.value.partition()).isEqualTo(0);
        assertThat(out.value.offset()).isEqualTo(0);
        assertThat(out.value.stage()).isEqualTo("router-stream");
        assertThat(strong.isEmpty()).isTrue();
        assertThat(weak.isEmpty()).isTrue();
    }

    @Test
    void schema_violations_go_to_dead_letters_naming_the_violation() {
        send("s-1", "{\"id\":\"s-1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-3}");

        DeadLetter out = deadLetters.readValue();
        assertThat(out.reason())
                .contains("fails schema prompt-request.schema.json")
                .contains("max_tokens");
    }

    @Test
    void empty_prompts_and_empty_values_go_to_dead_letters() {
        send("e-1", "{\"id\":\"e-1\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}");
        send("e-2", "");
        prompts.pipeInput("e-3".getBytes(StandardCharsets.UTF_8), (byte[]) null);

        List<DeadLetter> out = deadLetters.readValuesToList();
        assertThat(out).extracting(DeadLetter::key).containsExactly("e-1", "e-2", "e-3");
        assertThat(out.get(0).reason()).contains("content");
        assertThat(out.get(1).reason()).isEqualTo("empty record value");
        assertThat(out.get(2).reason()).isEqualTo("empty record value");
    }

    @Test
    void a_router_failure_is_dead_lettered_and_the_stream_goes_on() {
        send(prompt("x-1", "boom"));
        send(prompt("x-2", "fine"));

        assertThat(deadLetters.readValue().reason()).contains("router failed").contains("scorer exploded");
        assertThat(weak.readKeyValue().key).isEqualTo("x-2");
    }

    @Test
    void a_bad_record_does_not_stop_the_records_behind_it() {
        for (int i = 0; i < 50; i++) {
            if (i % 10 == 3) {
                send("bad-" + i, "not json " + i);
            } else {
                send(prompt("ok-" + i, i % 2 == 0 ? "hard " + i : "easy " + i));
            }
        }

        assertThat(deadLetters.getQueueSize()).isEqualTo(5);
        assertThat(strong.getQueueSize() + weak.getQueueSize()).isEqualTo(45);
    }

    @Test
    void topology_matches_the_committed_snapshot() throws Exception {
        // A renamed operator or topic breaks a running application's upgrade: this snapshot makes the change visible.
        RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", CLOCK);
        assertMatchesSnapshot(policy, Path.of("src/test/resources/topology.snapshot.txt"));
    }

    @Test
    void traffic_calibrated_topology_matches_its_snapshot() throws Exception {
        // The same for the state store (and so the changelog topic) that traffic calibration adds.
        RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", CLOCK)
                .calibratedOnTraffic(new TrafficCalibration(0.5, 100, 10));
        assertMatchesSnapshot(policy, Path.of("src/test/resources/topology-traffic-calibration.snapshot.txt"));
    }

    @Test
    void production_topology_matches_its_snapshot() throws Exception {
        // The defaults a deployment runs with: batches, and the stores of prompts waiting for their batch and of the
        // request ids seen within the deduplication window.
        RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", CLOCK);
        RoutingOptions production =
                RouterStreamSettings.fromProperties(new java.util.Properties()).routingOptions();
        String described = RouterTopology.build(new StreamsBuilder(), TOPICS, policy, RouterMetrics.noop(), production)
                .describe()
                .toString();
        assertMatchesSnapshot(described, Path.of("src/test/resources/topology-production.snapshot.txt"));
    }

    private static void assertMatchesSnapshot(RoutingPolicy policy, Path snapshot) throws Exception {
        assertMatchesSnapshot(
                RouterTopology.build(new StreamsBuilder(), TOPICS, policy)
                        .describe()
                        .toString(),
                snapshot);
    }

    private static void assertMatchesSnapshot(String described, Path snapshot) throws Exception {
        if (Boolean.getBoolean("kroute.updateSnapshots")) {
            Files.writeString(snapshot, described);
        }
        assertThat(described)
                .as("topology changed: review it, then rerun with -Dkroute.updateSnapshots=true")
                .isEqualTo(Files.readString(snapshot));
    }
}
