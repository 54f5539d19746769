package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Provenance;
import io.kroute.schemas.RoutedPrompt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The issue-15 probes against the routing topology: one record can only ever become one small dead letter (or one
 * routed prompt), and the record behind it is routed.
 */
class HostileRecordsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        RoutingOptions options =
                new RoutingOptions("test", Batching.NONE, new PromptLimits(256 * 1024, 1_000), Duration.ofHours(1));
        harness = new TopologyHarness(new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", CLOCK), options);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static byte[] prompt(String id, String text) {
        return Codecs.PROMPT_REQUEST.encode(
                new PromptRequest(id, "t", List.of(ChatMessage.user(text)), 64, Map.of(), null, 5));
    }

    private void send(String id, byte[] value) {
        harness.prompts.pipeInput(id.getBytes(StandardCharsets.UTF_8), value);
    }

    private void assertTheNextRecordIsRouted() {
        send("after", prompt("after", "say hi"));
        assertThat(harness.weak.readValuesToList())
                .extracting(p -> p.request().id())
                .contains("after");
    }

    @Test
    void a_one_megabyte_prompt_is_a_small_dead_letter_and_the_partition_keeps_flowing() {
        byte[] huge = prompt("big", "x".repeat(1024 * 1024));

        send("big", huge);

        DeadLetter letter = harness.deadLetters.readValue();
        assertThat(letter.reason()).startsWith("prompt too large: " + huge.length + " bytes");
        assertThat(letter.originalSize()).isEqualTo(huge.length);
        assertThat(letter.originalTruncated()).isTrue();
        assertThat(Codecs.DEAD_LETTER.encode(letter).length).isLessThan(100_000);
        assertThat(harness.strong.isEmpty() && harness.weak.isEmpty()).isTrue();
        assertTheNextRecordIsRouted();
    }

    @Test
    void a_strong_share_hint_outside_0_to_1_is_a_dead_letter_not_a_threshold() {
        for (String share : new String[] {"1.5", "-0.1", "\"half\""}) {
            String id = "share-" + share.replace("\"", "");
            send(
                    id,
                    ("{\"id\":\"" + id + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                    + "\"routing\":{\"strong_share\":" + share + "}}")
                            .getBytes(StandardCharsets.UTF_8));

            DeadLetter letter = harness.deadLetters.readValue();
            assertThat(letter.key()).isEqualTo(id);
            assertThat(letter.reason()).contains("strong_share");
        }
        assertThat(harness.strong.isEmpty() && harness.weak.isEmpty()).isTrue();
        assertTheNextRecordIsRouted();
    }

    @Test
    void a_malformed_800_kilobyte_record_is_a_small_dead_letter() {
        byte[] junk = ("{\"id\": \"m\", \"messages\": [" + "9".repeat(800 * 1024)).getBytes(StandardCharsets.UTF_8);

        send("m", junk);

        DeadLetter letter = harness.deadLetters.readValue();
        assertThat(letter.reason()).startsWith("prompt too large");
        assertThat(Codecs.DEAD_LETTER.encode(letter).length).isLessThan(100_000);
        assertTheNextRecordIsRouted();
    }

    @Test
    void a_prompt_over_the_token_limit_is_refused_before_it_is_scored() {
        // 2,000 distinct words: over 1,000 tokens, under the byte limit
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            text.append("word").append(i).append(' ');
        }

        send("long", prompt("long", text.toString()));

        DeadLetter letter = harness.deadLetters.readValue();
        assertThat(letter.reason())
                .startsWith("prompt too long: ")
                .contains("tokens, over kroute.prompt.max-tokens=1000");
        assertTheNextRecordIsRouted();
    }

    @Test
    void a_request_id_sent_twice_is_routed_once_and_the_second_is_a_duplicate_dead_letter() {
        send("same", prompt("same", "say hi"));
        send("same", prompt("same", "say hi again"));

        List<RoutedPrompt> routed = harness.weak.readValuesToList();
        assertThat(routed).extracting(p -> p.request().id()).containsExactly("same");
        DeadLetter letter = harness.deadLetters.readValue();
        assertThat(letter.reason()).startsWith("duplicate request id same");
    }

    @Test
    void a_producers_headers_do_not_reach_the_queues_or_the_dead_letters() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("authorization", "Bearer sk-secret".getBytes(StandardCharsets.UTF_8));
        harness.prompts.pipeInput(new TestRecord<>(
                "h".getBytes(StandardCharsets.UTF_8), prompt("h", "say hi"), headers, Instant.ofEpochMilli(5)));
        harness.prompts.pipeInput(new TestRecord<>(
                "j".getBytes(StandardCharsets.UTF_8),
                "not json".getBytes(StandardCharsets.UTF_8),
                headers,
                Instant.ofEpochMilli(6)));

        TestRecord<String, RoutedPrompt> routed = harness.weak.readRecord();
        TestRecord<String, DeadLetter> dead = harness.deadLetters.readRecord();
        for (TestRecord<?, ?> out : List.of(routed, dead)) {
            assertThat(out.headers().lastHeader("authorization")).isNull();
            assertThat(Provenance.read(out.headers(), Provenance.ROUTER_INSTANCE))
                    .isEqualTo("test");
        }
    }
}
