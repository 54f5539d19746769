package io.kroute.router.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSampleTest {

    @TempDir
    Path dir;

    @Test
    void reads_plain_prompts_prompt_requests_and_training_rows() throws Exception {
        Path file = dir.resolve("traffic.jsonl");
        Files.writeString(
                file,
                """
                {"prompt": "what is 2+2?"}
                {"prompt": "what is 2+2?"}

                {"id": "r1", "tenant": "t", "messages": [{"role": "system", "content": "be brief"}, \
                {"role": "user", "content": "first"}, {"role": "assistant", "content": "ok"}, \
                {"role": "user", "content": "second"}], "created_at": 1}
                {"prompt": "p", "model_a": "a", "model_b": "b", "winner": "tie"}
                {"prompt": "p", "model_a": "a", "model_b": "c", "winner": "model_a"}
                {"id": "s", "prompt": "q", "scores": {"a": 1, "b": 0}}
                """);

        assertThat(PromptSample.read(file))
                .as("traffic repeats count, a training row's prompt counts once")
                .containsExactly("what is 2+2?", "what is 2+2?", "second", "p", "q");
    }

    @Test
    void a_line_of_neither_kind_is_named() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"prompt\": \"ok\"}\n{\"text\": \"no\"}\n");
        assertThatThrownBy(() -> PromptSample.read(file))
                .hasMessage("bad.jsonl line 2: neither a \"prompt\" string nor a prompt request (\"messages\")");
        Files.writeString(file, "not json\n");
        assertThatThrownBy(() -> PromptSample.read(file)).hasMessage("bad.jsonl line 1: not JSON");
        Files.writeString(file, "{\"messages\": []}\n");
        assertThatThrownBy(() -> PromptSample.read(file))
                .hasMessageStartingWith("bad.jsonl line 1: not a valid prompt request: ");
    }
}
