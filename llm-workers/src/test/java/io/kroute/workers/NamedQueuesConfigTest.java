package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.schemas.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The queues of {@code models:}: how a file names them, and one line for each way of getting them wrong. */
class NamedQueuesConfigTest {

    private static final String THREE =
            """
            models:
              gpt-4:
                model: gpt-4-1106-preview
                base_url: https://api.openai.com
                api_key_env: OPENAI_API_KEY
                provider: openai
                fallback: mixtral
              claude:
                model: claude-instant-1
                base_url: https://api.anthropic.com
                provider: anthropic
                max_in_flight: 16
                circuit_breaker:
                  wait_in_open_state_ms: 2000
              mixtral:
                model: mistralai/Mixtral-8x7B-Instruct-v0.1
                base_url: https://api.together.xyz
                provider: together
            prices:
              claude-instant-1: {input_per_million: 0.8, output_per_million: 2.4}
            """;

    @Test
    void namesTheQueuesInTheFilesOrderEachLaidOverTheQueueDefaults() {
        // when
        WorkerConfig config = WorkerConfigLoader.parse(THREE);

        // then
        assertThat(config.queues()).containsOnlyKeys("gpt-4", "claude", "mixtral");
        assertThat(List.copyOf(config.queues().keySet())).containsExactly("gpt-4", "claude", "mixtral");
        assertThat(config.strong()).isNull();
        assertThat(config.weak()).isNull();
        TierConfig claude = config.queue("claude");
        TierConfig defaults = TierConfig.queueDefaults();
        assertThat(claude.model()).isEqualTo("claude-instant-1");
        assertThat(claude.maxInFlight()).isEqualTo(16);
        assertThat(claude.maxAttempts()).isEqualTo(defaults.maxAttempts());
        assertThat(claude.apiKeyEnv()).isNull();
        assertThat(claude.fallback()).isEqualTo(TierConfig.NO_FALLBACK);
        assertThat(claude.circuitBreaker().waitInOpenStateMs()).isEqualTo(2_000);
        assertThat(claude.circuitBreaker().slidingWindowSize())
                .isEqualTo(defaults.circuitBreaker().slidingWindowSize());
        assertThat(config.queue("gpt-4").fallback()).isEqualTo("mixtral");
        assertThat(config.consumerGroup("claude")).isEqualTo("kroute-llm-workers-claude");
        // the two default prices are still there, the file's one added
        assertThat(config.prices()).containsKeys("gpt-4-1106-preview", "claude-instant-1");
    }

    @Test
    void keepsTheTwoTiersAsTheQueuesStrongAndWeakWithoutModels() {
        WorkerConfig defaults = WorkerConfig.defaults();

        assertThat(List.copyOf(defaults.queues().keySet())).containsExactly("strong", "weak");
        assertThat(defaults.queue("strong")).isSameAs(defaults.strong());
        assertThat(defaults.queue("weak")).isSameAs(defaults.weak());
        assertThat(defaults.consumerGroup("weak")).isEqualTo(defaults.consumerGroup(Tier.WEAK));
        assertThat(defaults.models()).isEmpty();
        assertThat(WorkerConfigLoader.toYaml(defaults)).doesNotContain("models");
    }

    @Test
    void writesNamedQueuesAsYamlThatReadsBackTheSame() {
        WorkerConfig config = WorkerConfigLoader.parse(THREE).withInstanceId("w-1");

        String yaml = WorkerConfigLoader.toYaml(config);

        assertThat(yaml).doesNotContain("strong:").doesNotContain("weak:");
        assertThat(WorkerConfigLoader.parse(yaml)).isEqualTo(config);
    }

    @Test
    void buildsNamedQueuesInCode() {
        WorkerConfig defaults = WorkerConfig.defaults();
        Map<String, TierConfig> queues = new LinkedHashMap<>();
        queues.put("big", defaults.strong().withFallback("small"));
        queues.put("small", defaults.weak());

        WorkerConfig config = defaults.withQueues(queues).validate();

        assertThat(config.queues()).isEqualTo(queues);
        assertThat(config.strong()).isNull();
    }

    @Test
    void shipsAModelsExampleThatLoads() throws IOException {
        // given the commented example of etc/llm-workers.yaml, uncommented, and the price it asks for
        List<String> lines = Files.readAllLines(Path.of("../etc/llm-workers.yaml"));
        List<String> example = new ArrayList<>();
        for (String line : lines.subList(lines.indexOf("# models:"), lines.size())) {
            if (!line.startsWith("#")) {
                break;
            }
            example.add(line.substring(2));
        }
        String yaml = String.join("\n", example)
                + "\nprices:\n  claude-instant-1: {input_per_million: 0.80, output_per_million: 2.40}\n";

        // when
        WorkerConfig config = WorkerConfigLoader.parse(yaml);

        // then
        assertThat(List.copyOf(config.queues().keySet())).containsExactly("gpt-4", "claude-instant", "mixtral");
        assertThat(config.queue("gpt-4").fallback()).isEqualTo("claude-instant");
        assertThat(config.queue("claude-instant").fallback()).isEqualTo("mixtral");
        assertThat(config.queue("mixtral").maxInFlight()).isEqualTo(512);
    }

    @Test
    void rejectsAModelWithoutAPrice() {
        assertOneLine(THREE.replace("claude-instant-1: {", "claude-2: {"))
                .hasMessage("models.claude.model claude-instant-1 has no entry in prices");
    }

    @Test
    void rejectsAQueueWithoutAProvider() {
        assertOneLine(THREE.replace("    provider: anthropic\n", "")).hasMessage("models.claude.provider is required");
        assertOneLine(THREE.replace("provider: anthropic", "provider: \" \""))
                .hasMessage("models.claude.provider is required");
    }

    @Test
    void rejectsAQueueWithoutABaseUrl() {
        assertOneLine(THREE.replace("    base_url: https://api.anthropic.com\n", ""))
                .hasMessage("models.claude.base_url is required");
    }

    @Test
    void rejectsAFallbackToAnUnknownQueue() {
        assertOneLine(THREE.replace("fallback: mixtral", "fallback: weak"))
                .hasMessage("models.gpt-4.fallback must be none or the name of another queue (gpt-4, claude, mixtral),"
                        + " got weak");
    }

    @Test
    void rejectsAFallbackToItself() {
        assertOneLine(THREE.replace("fallback: mixtral", "fallback: gpt-4"))
                .hasMessage("models.gpt-4.fallback cannot be the queue itself");
    }

    @Test
    void rejectsAQueueNameThatCannotNameATopic() {
        assertOneLine(THREE.replace("  claude:\n", "  Claude_1:\n"))
                .hasMessage("models.Claude_1: a queue name must match [a-z0-9][a-z0-9-]{0,47} (it names the topic"
                        + " llm-queue-<name>)");
        assertOneLine(THREE.replace("  claude:\n", "  " + "c".repeat(49) + ":\n"))
                .hasMessageStartingWith("models." + "c".repeat(49) + ": a queue name must match");
    }

    @Test
    void rejectsMoreThan32Queues() {
        StringBuilder yaml = new StringBuilder("models:\n");
        for (int i = 0; i < 33; i++) {
            yaml.append("  q")
                    .append(i)
                    .append(":\n")
                    .append("    model: gpt-4-1106-preview\n")
                    .append("    base_url: https://api.openai.com\n")
                    .append("    provider: openai\n");
        }

        assertOneLine(yaml.toString())
                .hasMessage("models names 33 queues, at most 32 (run several worker processes for more)");
        Map<String, TierConfig> queues = new LinkedHashMap<>();
        for (int i = 0; i < 33; i++) {
            queues.put("q" + i, WorkerConfig.defaults().strong());
        }
        assertThatThrownBy(() -> WorkerConfig.defaults().withQueues(queues).validate())
                .hasMessage("models names 33 queues, at most 32 (run several worker processes for more)");
    }

    @Test
    void acceptsExactly32Queues() {
        StringBuilder yaml = new StringBuilder("models:\n");
        for (int i = 0; i < 32; i++) {
            yaml.append("  q")
                    .append(i)
                    .append(": {model: gpt-4-1106-preview, base_url: https://api.openai.com,")
                    .append(" provider: openai}\n");
        }

        assertThat(WorkerConfigLoader.parse(yaml.toString()).queues()).hasSize(32);
    }

    @Test
    void rejectsModelsTogetherWithTheTiers() {
        String expected =
                "models cannot be given together with strong or weak: with models, every queue is named there";
        assertOneLine(THREE + "strong:\n  max_in_flight: 8\n").hasMessage(expected);
        assertOneLine(THREE + "weak: {}\n").hasMessage(expected);
        // and in code: a tier set on a config of named queues
        assertThatThrownBy(() -> WorkerConfigLoader.parse(THREE)
                        .withTier(Tier.STRONG, WorkerConfig.defaults().strong())
                        .validate())
                .hasMessage(expected);
    }

    @Test
    void rejectsEmptyModels() {
        assertOneLine("models: {}\n").hasMessage("models must name at least one queue");
        assertOneLine("models:\n").hasMessage("models must name at least one queue");
        assertThatThrownBy(() -> WorkerConfig.defaults().withQueues(Map.of()).validate())
                .hasMessage("models must name at least one queue");
    }

    @Test
    void rejectsAnApiKeyInAQueuesSection() {
        assertOneLine(THREE.replace("provider: anthropic", "provider: anthropic\n    api_key: sk-ant-secret"))
                .hasMessage("models.claude.api_key is not allowed: put the key in an environment variable and name it"
                        + " in models.claude.api_key_env");
    }

    @Test
    void rejectsUnknownKeysInAQueuesSectionNamingTheirPath() {
        assertOneLine(THREE.replace("max_in_flight: 16", "max_inflight: 16"))
                .hasMessageContaining("unknown key 'max_inflight' at models.claude.max_inflight");
        assertOneLine(THREE.replace("max_in_flight: 16", "max_in_flight: lots"))
                .hasMessageContaining("bad value at models.claude.max_in_flight");
        assertOneLine(THREE.replace("max_in_flight: 16", "max_in_flight: 0"))
                .hasMessage("models.claude.max_in_flight must be >= 1, got 0");
    }

    @Test
    void rejectsQueuesOfOneProviderCallingDifferentEndpoints() {
        // one client per provider: the second queue's URL would silently never be called
        assertOneLine(THREE.replace("provider: anthropic", "provider: openai"))
                .hasMessage("models.claude.base_url and api_key_env must equal models.gpt-4's, which names provider"
                        + " openai too: queues of one provider share its client (name another provider for another"
                        + " endpoint)");
    }

    @Test
    void sharesAProviderBetweenQueuesOnOneEndpoint() {
        String yaml = THREE.replace(
                        "base_url: https://api.anthropic.com\n    provider: anthropic",
                        "base_url: https://api.openai.com\n    api_key_env: OPENAI_API_KEY\n    provider: openai")
                .replace("claude-instant-1", "gpt-3.5-turbo");

        assertThat(WorkerConfigLoader.parse(yaml).queue("claude").provider()).isEqualTo("openai");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertOneLine(String yaml) {
        return assertThatThrownBy(() -> WorkerConfigLoader.parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
    }
}
