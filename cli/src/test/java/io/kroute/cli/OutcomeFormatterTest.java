package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class OutcomeFormatterTest {

    @Test
    void aResponseShowsItsFactsAndTheStartOfTheAnswer() {
        // given
        String answer = IntStream.rangeClosed(1, 10).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        TailedRecord tailed = read(Topics.RESPONSES, "r-1", Codecs.LLM_RESPONSE.encode(response("r-1", answer)));

        // when
        String shown = OutcomeFormatter.pretty(tailed);

        // then
        assertThat(shown.lines().findFirst().orElseThrow())
                .isEqualTo("r-1  response  tier=strong  model=gpt-4-1106-preview  status=fallback  cost=$0.001250"
                        + "  latency=842ms");
        assertThat(shown.lines().skip(1))
                .containsExactly(
                        "    line 1",
                        "    line 2",
                        "    line 3",
                        "    line 4",
                        "    line 5",
                        "    line 6",
                        "    ... (4 more lines)");
    }

    @Test
    void longLinesAndControlCharactersAreTamed() {
        // given
        String answer = "\u001b[31mred\u001b[0m " + "x".repeat(400);
        TailedRecord tailed = read(Topics.RESPONSES, "r-2", Codecs.LLM_RESPONSE.encode(response("r-2", answer)));

        // when
        String answerLine =
                OutcomeFormatter.pretty(tailed).lines().skip(1).findFirst().orElseThrow();

        // then
        assertThat(answerLine)
                .doesNotContain("\u001b")
                .startsWith("     [31mred")
                .endsWith("...");
        assertThat(answerLine).hasSize(4 + OutcomeFormatter.LINE_CHARS + 3);
    }

    @Test
    void aDeadLetterShowsTheOriginalKeyStageAndReason() {
        // given
        DeadLetter letter = DeadLetter.of(
                "d-1", "{}".getBytes(StandardCharsets.UTF_8), "llm-prompts", 0, 7, "router-stream", "blank prompt", 1L);
        TailedRecord tailed = read(Topics.DEAD_LETTERS, "d-1", Codecs.DEAD_LETTER.encode(letter));

        // when
        String shown = OutcomeFormatter.pretty(tailed);

        // then
        assertThat(shown).isEqualTo("d-1  dead letter  stage=router-stream  reason=blank prompt");
        assertThat(tailed.requestId()).isEqualTo("d-1");
    }

    @Test
    void anUnreadableRecordSaysWhereItIsAndWhy() {
        // given
        TailedRecord tailed = read(Topics.RESPONSES, "u-1", "not json".getBytes(StandardCharsets.UTF_8));

        // when
        String shown = OutcomeFormatter.pretty(tailed);

        // then
        assertThat(tailed.isOutcome()).isFalse();
        assertThat(shown).startsWith("u-1  unreadable  llm-responses-0@42: not valid JSON");
    }

    @Test
    void jsonIsPrintedAsWrittenAndKeptToOneLine() {
        // given
        TailedRecord compact = read(Topics.RESPONSES, "r-3", Codecs.LLM_RESPONSE.encode(response("r-3", "a\nb")));
        String spread = new String(Codecs.LLM_RESPONSE.encode(response("r-4", "ok")), StandardCharsets.UTF_8)
                .replace(",", ",\n  ");
        TailedRecord pretty = read(Topics.RESPONSES, "r-4", spread.getBytes(StandardCharsets.UTF_8));

        // when
        String first = OutcomeFormatter.json(compact);
        String second = OutcomeFormatter.json(pretty);

        // then
        assertThat(first).isEqualTo(new String(compact.record().value(), StandardCharsets.UTF_8));
        assertThat(second).doesNotContain("\n");
        assertThat(Codecs.LLM_RESPONSE
                        .decode(second.getBytes(StandardCharsets.UTF_8))
                        .requestId())
                .isEqualTo("r-4");
    }

    private static LlmResponse response(String id, String text) {
        return new LlmResponse(
                id,
                "default",
                Tier.STRONG,
                "gpt-4-1106-preview",
                text,
                "stop",
                10,
                20,
                0.00125,
                842,
                2,
                ResponseStatus.FALLBACK,
                "v1",
                1L,
                2L);
    }

    private static TailedRecord read(String topic, String key, byte[] value) {
        return TailedRecord.read(new ConsumerRecord<>(topic, 0, 42, key, value), Topics.RESPONSES);
    }
}
