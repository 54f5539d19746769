package io.kroute.batch.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.batch.format.BatchFileReader.BatchLine;
import io.kroute.batch.format.BatchFileReader.LineError;
import io.kroute.schemas.ChatMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchFileReaderTest {

    private final List<BatchLine> requests = new ArrayList<>();
    private final List<LineError> errors = new ArrayList<>();

    private static String line(String customId, String content) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\","
                + " \"body\": {\"model\": \"gpt-4o-mini\", \"max_tokens\": 64, \"messages\": [{\"role\": \"user\","
                + " \"content\": \"" + content + "\"}]}}";
    }

    private BatchFileReader.Totals read(BatchLimits limits, String text) throws Exception {
        InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return new BatchFileReader(limits).read(in, "batch_1", "team-a", requests::add, errors::add);
    }

    private BatchFileReader.Totals read(String text) throws Exception {
        return read(BatchLimits.defaults(), text);
    }

    @Test
    void each_line_becomes_a_prompt_request_carrying_its_batch_and_custom_id() throws Exception {
        BatchFileReader.Totals totals = read(line("a", "What is 2+2?") + "\n" + line("b", "Name a prime.") + "\n");

        assertThat(totals.requests()).isEqualTo(2);
        assertThat(totals.errors()).isZero();
        assertThat(errors).isEmpty();
        BatchLine first = requests.get(0);
        assertThat(first.lineNumber()).isEqualTo(1);
        assertThat(first.request().messages()).containsExactly(ChatMessage.user("What is 2+2?"));
        assertThat(first.request().maxTokens()).isEqualTo(64);
        assertThat(first.request().tenant()).isEqualTo("team-a");
        assertThat(first.request().metadata())
                .containsEntry(BatchFileReader.BATCH, "batch_1")
                .containsEntry(BatchFileReader.CUSTOM_ID, "a")
                .containsEntry(BatchFileReader.REQUESTED_MODEL, "gpt-4o-mini");
        assertThat(first.request().id())
                .startsWith("batch_1-")
                .isNotEqualTo(requests.get(1).request().id());
        assertThat(first.request().id()).isEqualTo(BatchFileReader.requestId("batch_1", "a"));
    }

    @Test
    void a_bad_line_goes_to_the_error_file_with_its_reason_and_the_rest_runs() throws Exception {
        String file = String.join(
                "\n",
                line("ok-1", "hello"),
                "this is not json",
                line("ok-1", "the same custom_id again"),
                line("emb", "x").replace("/v1/chat/completions", "/v1/embeddings"),
                line("get", "x").replace("\"POST\"", "\"GET\""),
                "{\"custom_id\": \"no-user\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\","
                        + " \"body\": {\"messages\": [{\"role\": \"system\", \"content\": \"be brief\"}]}}",
                "{\"custom_id\": \"image\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\":"
                        + " {\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}}",
                "{\"method\": \"POST\"}",
                line("ok-2", "world"));

        BatchFileReader.Totals totals = read(file);

        assertThat(requests).extracting(BatchLine::customId).containsExactly("ok-1", "ok-2");
        assertThat(errors)
                .extracting(LineError::lineNumber, LineError::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "invalid_json"),
                        org.assertj.core.groups.Tuple.tuple(3, "duplicate_custom_id"),
                        org.assertj.core.groups.Tuple.tuple(4, "invalid_url"),
                        org.assertj.core.groups.Tuple.tuple(5, "invalid_method"),
                        org.assertj.core.groups.Tuple.tuple(6, "invalid_body"),
                        org.assertj.core.groups.Tuple.tuple(7, "unsupported_content"),
                        org.assertj.core.groups.Tuple.tuple(8, "missing_custom_id"));
        assertThat(errors.get(1).message()).contains("'ok-1'", "earlier line");
        assertThat(errors.get(2).message()).contains("/v1/embeddings", "/v1/chat/completions");
        assertThat(totals.lines()).isEqualTo(9);
        assertThat(totals.requests() + totals.errors()).isEqualTo(totals.lines());
    }

    @Test
    void text_parts_of_a_content_array_are_joined() throws Exception {
        read("{\"custom_id\": \"parts\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\":"
                + " {\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"one\"},"
                + " {\"type\": \"text\", \"text\": \"two\"}]}]}}");

        assertThat(requests.get(0).request().lastUserText()).isEqualTo("one\n\ntwo");
    }

    @Test
    void an_oversized_line_is_an_error_for_that_line_only_and_is_never_buffered_whole() throws Exception {
        BatchLimits small = new BatchLimits(100, 10_000_000, 1_000);
        String huge = line("big", "x".repeat(1_000_000));

        read(small, line("a", "short") + "\n" + huge + "\n" + line("b", "short"));

        assertThat(requests).extracting(BatchLine::customId).containsExactly("a", "b");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.lineNumber()).isEqualTo(2);
            assertThat(e.code()).isEqualTo("line_too_large");
        });
    }

    @Test
    void a_file_over_the_line_or_byte_limit_is_refused_whole() {
        String three = line("a", "1") + "\n" + line("b", "2") + "\n" + line("c", "3") + "\n";

        assertThatThrownBy(() -> read(new BatchLimits(2, 1_000_000, 10_000), three))
                .isInstanceOf(BatchFileReader.FileRejected.class)
                .hasMessageContaining("more than 2 lines");
        assertThatThrownBy(() -> read(new BatchLimits(100, 200, 10_000), three))
                .isInstanceOf(BatchFileReader.FileRejected.class)
                .hasMessageContaining("over 200 bytes");
        assertThatThrownBy(() -> read("\n"))
                .isInstanceOf(BatchFileReader.FileRejected.class)
                .hasMessageContaining("no lines");
    }

    @Test
    void counting_checks_the_whole_file_limits_as_reading_does() throws Exception {
        String three = line("a", "1") + "\r\n\n  \n" + line("b", "2") + "\n{not json}";
        BatchFileReader reader = new BatchFileReader(new BatchLimits(3, 1_000_000, 10));

        BatchFileReader.Totals totals = reader.count(stream(three));

        assertThat(totals.lines()).isEqualTo(3);
        assertThat(totals.bytes()).isEqualTo(three.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThatThrownBy(() -> new BatchFileReader(new BatchLimits(2, 1_000_000, 10)).count(stream(three)))
                .hasMessageContaining("more than 2 lines");
        assertThatThrownBy(() -> new BatchFileReader(new BatchLimits(9, 20, 10)).count(stream(three)))
                .hasMessageContaining("over 20 bytes");
        assertThatThrownBy(() -> reader.count(stream(" \n\t\r\n"))).hasMessageContaining("no lines");
    }

    private static java.io.InputStream stream(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void blank_lines_and_crlf_line_endings_add_no_request() throws Exception {
        BatchFileReader.Totals totals = read(line("a", "1") + "\r\n\n  \n" + line("b", "2") + "\r\n");

        assertThat(totals.lines()).isEqualTo(2);
        assertThat(requests.get(1).lineNumber()).isEqualTo(4);
        assertThat(requests).hasSize(2);
        assertThat(errors).isEmpty();
    }

    @Test
    void request_ids_fit_the_prompts_topic_whatever_the_custom_id() {
        String id = BatchFileReader.requestId("batch_" + "0".repeat(40), "c".repeat(512));

        assertThat(id).hasSizeLessThanOrEqualTo(200);
        assertThat(BatchFileReader.requestId("b", "x")).isNotEqualTo(BatchFileReader.requestId("b", "y"));
    }
}
