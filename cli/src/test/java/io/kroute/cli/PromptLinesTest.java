package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PromptLinesTest {

    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void textLinesAreUserPromptsWithGeneratedIds() throws IOException {
        // given
        String input = "What is 2 + 2?\n  Name a prime.  \r\n";

        // when
        List<PromptLine> lines = read(InputFormat.AUTO, null, null, input);

        // then
        assertThat(lines).extracting(PromptLine::number).containsExactly(1, 2);
        PromptRequest first = decode(lines.get(0));
        assertThat(first.id()).isEqualTo("id-1");
        assertThat(first.tenant()).isEqualTo("default");
        assertThat(first.messages()).containsExactly(ChatMessage.user("What is 2 + 2?"));
        assertThat(decode(lines.get(1)).lastUserText()).isEqualTo("Name a prime.");
    }

    @Test
    void aFullRequestIsSentAsWritten() throws IOException {
        // given
        String input = "{\"id\": \"r-1\", \"tenant\": \"acme\", \"messages\": [{\"role\": \"system\", \"content\": "
                + "\"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 64, "
                + "\"metadata\": {\"batch\": \"7\"}, \"routing\": {\"force_tier\": \"weak\"}}\n";

        // when
        List<PromptLine> lines = read(InputFormat.AUTO, "other", 10, input);

        // then
        PromptRequest request = decode(lines.get(0));
        assertThat(lines.get(0).id()).isEqualTo("r-1");
        assertThat(request.tenant()).as("the line's own tenant wins").isEqualTo("acme");
        assertThat(request.maxTokens()).as("the line's own limit wins").isEqualTo(64);
        assertThat(request.messages()).hasSize(2);
        assertThat(request.metadata()).isEqualTo(Map.of("batch", "7"));
        assertThat(request.routing().forceTier().wireName()).isEqualTo("weak");
    }

    @Test
    void theShortFormBecomesAUserPrompt() throws IOException {
        // given
        String input = "{\"prompt\": \"Why is the sky blue?\", \"id\": \"s-1\", \"max_tokens\": 32, "
                + "\"metadata\": {\"source\": \"faq\"}}\n"
                + "{\"prompt\": \"No id here\"}\n";

        // when
        List<PromptLine> lines = read(InputFormat.JSONL, "acme", 100, input);

        // then
        PromptRequest first = decode(lines.get(0));
        assertThat(first.id()).isEqualTo("s-1");
        assertThat(first.tenant()).isEqualTo("acme");
        assertThat(first.maxTokens()).isEqualTo(32);
        assertThat(first.metadata()).isEqualTo(Map.of("source", "faq"));
        assertThat(first.lastUserText()).isEqualTo("Why is the sky blue?");
        PromptRequest second = decode(lines.get(1));
        assertThat(second.id()).isEqualTo("id-1");
        assertThat(second.maxTokens()).as("--max-tokens fills in").isEqualTo(100);
    }

    @Test
    void badLinesComeBackWithTheirNumberAndReason() throws IOException {
        // given
        String input = String.join(
                "\n",
                "{\"prompt\": \"fine\"}",
                "{\"prompt\": \"unclosed\"",
                "{\"messages\": []}",
                "{\"prompt\": 42}",
                "{\"prompt\": \"x\", \"temperature\": 0.2}",
                "{\"question\": \"x\"}",
                "{\"prompt\": \"x\", \"max_tokens\": \"many\"}",
                "{\"prompt\": \"x\"} trailing",
                "{\"prompt\": \"x\", \"id\": \"\"}",
                "{\"prompt\": \"   \"}");

        // when
        List<PromptLine> lines = read(InputFormat.AUTO, null, null, input);

        // then
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0).isGood()).isTrue();
        assertThat(lines.subList(1, 10))
                .allSatisfy(line -> assertThat(line.isGood()).isFalse());
        assertThat(lines).extracting(PromptLine::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(lines.get(1).problem())
                .isEqualTo("not valid JSON: Unexpected end-of-input: expected close marker for Object");
        assertThat(lines.get(2).problem()).startsWith("fails schema prompt-request.schema.json");
        assertThat(lines.get(3).problem()).isEqualTo("\"prompt\" must be a string");
        assertThat(lines.get(4).problem()).contains("unknown field \"temperature\"");
        assertThat(lines.get(5).problem()).startsWith("neither a prompt request");
        assertThat(lines.get(6).problem()).contains("max_tokens");
        assertThat(lines.get(7).problem()).startsWith("not valid JSON");
        assertThat(lines.get(8).problem()).contains("$.id");
        assertThat(lines.get(9).problem()).contains("fails schema");
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        // given
        String input = "\n   \n\r\nfirst\n\n\tsecond\n\n";

        // when
        List<PromptLine> lines = read(InputFormat.TEXT, null, null, input);

        // then
        assertThat(lines).extracting(PromptLine::number).containsExactly(4, 6);
    }

    @Test
    void theFormatDecidesWhatAJsonLookingLineIs() throws IOException {
        // given
        String input = "{\"prompt\": \"a\"}\nplain text\n[1, 2]\n";

        // when
        List<PromptLine> asText = read(InputFormat.TEXT, null, null, input);
        List<PromptLine> asJsonl = read(InputFormat.JSONL, null, null, input);

        // then
        assertThat(decode(asText.get(0)).lastUserText()).isEqualTo("{\"prompt\": \"a\"}");
        assertThat(asText.get(1).isGood()).isTrue();
        assertThat(asJsonl.get(0).isGood()).isTrue();
        assertThat(asJsonl.get(1).problem()).startsWith("not valid JSON");
        assertThat(asJsonl.get(2).problem()).isEqualTo("not a JSON object");
    }

    @Test
    void aLineOverTheBoundIsReportedWithoutStoppingTheRest() throws IOException {
        // given
        String input = "short\n" + "x".repeat(50) + "\nafter\n";

        // when
        List<PromptLine> lines = new ArrayList<>();
        PromptLines reader = new PromptLines(new StringReader(input), parser(InputFormat.AUTO, null, null), 20);
        for (PromptLine line = reader.next(); line != null; line = reader.next()) {
            lines.add(line);
        }

        // then
        assertThat(lines).extracting(PromptLine::number).containsExactly(1, 2, 3);
        assertThat(lines.get(1).problem()).isEqualTo("line longer than 20 characters");
        assertThat(decode(lines.get(2)).lastUserText()).isEqualTo("after");
    }

    @Test
    void aByteOrderMarkDoesNotHideAJsonFirstLine() throws IOException {
        // given
        String input = "\uFEFF{\"prompt\": \"a\", \"id\": \"bom\"}";

        // when
        List<PromptLine> lines = read(InputFormat.AUTO, null, null, input);

        // then
        assertThat(lines.get(0).id()).isEqualTo("bom");
    }

    private List<PromptLine> read(InputFormat format, String tenant, Integer maxTokens, String input)
            throws IOException {
        PromptLines reader =
                new PromptLines(new StringReader(input), parser(format, tenant, maxTokens), PromptLines.MAX_LINE_CHARS);
        List<PromptLine> lines = new ArrayList<>();
        for (PromptLine line = reader.next(); line != null; line = reader.next()) {
            lines.add(line);
        }
        return lines;
    }

    private PromptLineParser parser(InputFormat format, String tenant, Integer maxTokens) {
        return new PromptLineParser(format, tenant, maxTokens, () -> "id-" + ids.incrementAndGet());
    }

    private static PromptRequest decode(PromptLine line) {
        assertThat(line.problem()).isNull();
        return Codecs.PROMPT_REQUEST.decode(line.value());
    }
}
