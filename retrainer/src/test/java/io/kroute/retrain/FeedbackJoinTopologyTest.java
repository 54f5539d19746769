package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackJoinTopologyTest {

    private static final Topics TOPICS = Topics.DEFAULT;
    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> strongQueue;
    private TestInputTopic<byte[], byte[]> feedback;
    private TestOutputTopic<String, LabeledPrompt> labeled;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(
                FeedbackJoinTopology.build(new StreamsBuilder(), TOPICS, Duration.ofHours(1)),
                FeedbackJoinTopology.config(props),
                START);
        strongQueue = driver.createInputTopic(
                TOPICS.strongQueue().name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        feedback = driver.createInputTopic(
                TOPICS.feedback().name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        labeled = driver.createOutputTopic(
                TOPICS.labeledPrompts().name(),
                Serdes.String().deserializer(),
                TOPICS.labeledPrompts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(
                TOPICS.deadLetters().name(),
                Serdes.String().deserializer(),
                TOPICS.deadLetters().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void route(String id, String text, long routedAt) {
        RoutedPrompt routed = new RoutedPrompt(
                new PromptRequest(id, "t", List.of(ChatMessage.user(text)), null, Map.of(), null, routedAt),
                new RoutingDecision(Tier.STRONG, "gpt-4", 0.8, "mf", "mf-7", 0.6, false, routedAt));
        strongQueue.pipeInput(id, Codecs.ROUTED_PROMPT.encode(routed));
    }

    private void label(Feedback label) {
        feedback.pipeInput(label.requestId().getBytes(StandardCharsets.UTF_8), Codecs.FEEDBACK.encode(label));
    }

    @Test
    void a_label_is_joined_to_the_prompt_the_router_saw() {
        // given
        route("r1", "prove it", START.toEpochMilli());
        Feedback golden = new Feedback("r1", FeedbackSource.GOLDEN, "gpt-4", null, null, true, 5);

        // when
        label(golden);

        // then
        LabeledPrompt example = labeled.readValue();
        assertThat(example.requestId()).isEqualTo("r1");
        assertThat(example.prompt()).isEqualTo("prove it");
        assertThat(example.tier()).isEqualTo(Tier.STRONG);
        assertThat(example.routedModel()).isEqualTo("gpt-4");
        assertThat(example.routerVersion()).isEqualTo("mf-7");
        assertThat(example.score()).isEqualTo(0.8);
        assertThat(example.label()).isEqualTo(golden);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void a_label_is_joined_to_a_prompt_routed_to_one_of_many_models_queues() {
        // given a prompt on a many-model deployment's queue, and a topic of another prefix that looks like one
        TestInputTopic<String, byte[]> claude = driver.createInputTopic(
                TOPICS.queue("claude-2-1").name(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        RoutedPrompt routed = new RoutedPrompt(
                new PromptRequest(
                        "r9", "t", List.of(ChatMessage.user("a poem")), null, Map.of(), null, START.toEpochMilli()),
                new RoutingDecision(
                        Tier.WEAK,
                        "claude-2.1",
                        0.7,
                        "quality-ridge",
                        "q-1",
                        0.01,
                        false,
                        START.toEpochMilli(),
                        "claude-2-1"));
        claude.pipeInput("r9", Codecs.ROUTED_PROMPT.encode(routed));

        // when
        label(new Feedback("r9", FeedbackSource.HUMAN, "claude-2.1", null, 0.9, null, 5));

        // then
        LabeledPrompt example = labeled.readValue();
        assertThat(example.routedModel()).isEqualTo("claude-2.1");
        assertThat(example.routerVersion()).isEqualTo("q-1");
        assertThat(TOPICS.queues()
                        .matcher("other-" + TOPICS.queue("claude-2-1").name())
                        .matches())
                .isFalse();
    }

    @Test
    void a_label_for_an_unknown_request_is_dead_lettered() {
        label(new Feedback("ghost", FeedbackSource.HUMAN, null, "weak", null, null, 5));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.key()).isEqualTo("ghost");
        assertThat(letter.stage()).isEqualTo("feedback-join");
        assertThat(letter.reason()).startsWith("unknown or expired request ghost");
        assertThat(labeled.isEmpty()).isTrue();
    }

    @Test
    void a_label_after_the_retention_window_is_dead_lettered() {
        route("old", "an old prompt", START.toEpochMilli());
        driver.advanceWallClockTime(Duration.ofHours(2));

        label(new Feedback("old", FeedbackSource.JUDGE, null, "strong", null, null, 5));

        assertThat(deadLetters.readValue().reason()).contains("unknown or expired");
    }

    @Test
    void an_unreadable_label_is_dead_lettered_with_the_schema_reason() {
        feedback.pipeInput(
                "x".getBytes(StandardCharsets.UTF_8),
                "{\"request_id\":\"x\",\"source\":\"robot\",\"preferred\":\"strong\"}"
                        .getBytes(StandardCharsets.UTF_8));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.reason()).contains("fails schema feedback.schema.json");
        assertThat(letter.sourceTopic()).isEqualTo(TOPICS.feedback().name());
    }

    @Test
    void topology_matches_the_committed_snapshot() throws Exception {
        String described = FeedbackJoinTopology.build(new StreamsBuilder(), TOPICS, Duration.ofHours(1))
                .describe()
                .toString();
        Path snapshot = Path.of("src/test/resources/feedback-join-topology.snapshot.txt");
        if (Boolean.getBoolean("kroute.updateSnapshots")) {
            Files.writeString(snapshot, described);
        }
        assertThat(described)
                .as("topology changed: review it, then rerun with -Dkroute.updateSnapshots=true")
                .isEqualTo(Files.readString(snapshot));
    }
}
