package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kroute.testkafka.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The many-model demo as a user runs it, on a real broker: three models of the Arena reference files, the shipped
 * predictor, one queue each; every prompt gets exactly one outcome, answered by one of the three.
 */
@Tag("integration")
@Timeout(300)
class ManyModelDemoIT {

    private static final TestKafka kafka = TestKafka.shared();

    @Test
    void three_models_answer_every_prompt_exactly_once(@TempDir Path dir) throws Exception {
        // given
        Path out = dir.resolve("summary.json");
        DemoOptions options = DemoOptions.parse(new String[] {
            "--benchmark", "arena",
            "--models", "gpt-4-1106-preview,gpt-3.5-turbo,mistralai/Mixtral-8x7B-Instruct-v0.1",
            "--prompts", "40",
            "--latency-ms", "0",
            "--bootstrap-servers", kafka.bootstrapServers(),
            "--out", out.toString()
        });

        // when
        int exit = new ManyModelDemo(options).run();

        // then
        assertThat(exit).isZero();
        JsonNode summary = new ObjectMapper().readTree(Files.readAllBytes(out));
        assertThat(summary.get("prompts").asInt()).isEqualTo(40);
        assertThat(summary.get("answered").asInt()).isEqualTo(40);
        assertThat(summary.get("duplicates").asInt()).isZero();
        assertThat(summary.get("dead_letters").asInt()).isZero();
        int calls = 0;
        for (JsonNode model : summary.get("models")) {
            calls += model.get("calls").asInt();
        }
        assertThat(summary.get("models")).hasSize(3);
        assertThat(calls).isEqualTo(40);
        assertThat(summary.get("cost_usd").asDouble()).isPositive();
        assertThat(Files.exists(dir.resolve("cost-quality.png"))).isTrue();
    }
}
