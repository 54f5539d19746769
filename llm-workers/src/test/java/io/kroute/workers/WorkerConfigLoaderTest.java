package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.schemas.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void laysTheFileOverTheDefaults() throws IOException {
        // given
        Path file = write(
                """
                bootstrap_servers: broker-1:9092,broker-2:9092
                topic_prefix: staging-
                strong:
                  base_url: http://replay:8080
                  api_key_env: ""
                  max_in_flight: 32
                weak:
                  model: my-mixtral
                prices:
                  my-mixtral: {input_per_million: 0.5, output_per_million: 0.7}
                kafka:
                  linger.ms: 10
                """);

        // when
        WorkerConfig config = WorkerConfigLoader.load(file);

        // then
        WorkerConfig defaults = WorkerConfig.defaults();
        assertThat(config.bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(config.topicPrefix()).isEqualTo("staging-");
        assertThat(config.groupId()).isEqualTo(defaults.groupId());
        assertThat(config.strong().baseUrl()).isEqualTo("http://replay:8080");
        assertThat(config.strong().maxInFlight()).isEqualTo(32);
        assertThat(config.strong().model()).isEqualTo(defaults.strong().model());
        assertThat(config.strong().maxAttempts()).isEqualTo(defaults.strong().maxAttempts());
        assertThat(config.weak().model()).isEqualTo("my-mixtral");
        assertThat(config.weak().apiKeyEnv()).isEqualTo("TOGETHER_API_KEY");
        assertThat(config.prices()).containsKeys("gpt-4-1106-preview", "my-mixtral");
        assertThat(config.prices().get("my-mixtral")).isEqualTo(new ModelPrice(0.5, 0.7));
        assertThat(config.kafka()).containsEntry("linger.ms", "10");
    }

    @Test
    void givesTheDefaultsForAnEmptyFile() throws IOException {
        assertThat(WorkerConfigLoader.load(write(""))).isEqualTo(WorkerConfig.defaults());
    }

    @Test
    void shipsAReferenceConfigThatEqualsTheDefaults() {
        Path reference = Path.of("../etc/llm-workers.yaml");

        assertThat(WorkerConfigLoader.load(reference)).isEqualTo(WorkerConfig.defaults());
    }

    @Test
    void shipsAReplayConfigThatDiffersFromTheReferenceOnlyInWhereTheTiersCall() {
        WorkerConfig replay = WorkerConfigLoader.load(Path.of("../etc/llm-workers-replay.yaml"));
        WorkerConfig reference = WorkerConfig.defaults();

        for (Tier tier : Tier.values()) {
            assertThat(replay.tier(tier).baseUrl()).isEqualTo("http://127.0.0.1:8080");
            assertThat(replay.tier(tier).resolveApiKey()).isNull();
        }
        assertThat(replay.withTier(Tier.STRONG, reference.strong()).withTier(Tier.WEAK, reference.weak()))
                .isEqualTo(reference);
        assertThat(replay.strong()
                        .withBaseUrl(reference.strong().baseUrl())
                        .withApiKeyEnv(reference.strong().apiKeyEnv())
                        .withProvider(reference.strong().provider()))
                .isEqualTo(reference.strong());
    }

    @Test
    void writesYamlThatReadsBackTheSame() {
        WorkerConfig config = WorkerConfig.defaults()
                .withInstanceId("w-1")
                .withMetricsPort(-1)
                .withTier(Tier.STRONG, WorkerConfig.defaults().strong().withRateLimits(200, 90_000));

        assertThat(WorkerConfigLoader.parse(WorkerConfigLoader.toYaml(config))).isEqualTo(config);
    }

    @Test
    void defaultsMatchTheBrief() {
        WorkerConfig defaults = WorkerConfig.defaults();

        assertThat(defaults.strong().maxInFlight()).isEqualTo(256);
        assertThat(defaults.weak().maxInFlight()).isEqualTo(256);
        assertThat(defaults.prices().get("gpt-4-1106-preview")).isEqualTo(new ModelPrice(10.0, 30.0));
        assertThat(defaults.prices().get("mistralai/Mixtral-8x7B-Instruct-v0.1"))
                .isEqualTo(new ModelPrice(0.6, 0.6));
        assertThat(defaults.tier(Tier.STRONG)).isSameAs(defaults.strong());
    }

    @Test
    void rejectsAMissingFile() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> WorkerConfigLoader.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void rejectsInvalidYamlWithTheLine() throws IOException {
        Path file = write("strong:\n  model: [unclosed\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("config file " + file + ": not valid YAML")
                .hasMessageContaining("line");
    }

    @Test
    void rejectsUnknownKeysNamingTheirPath() throws IOException {
        Path file = write("strong:\n  max_inflight: 10\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("unknown key 'max_inflight' at strong.max_inflight");
    }

    @Test
    void rejectsValuesOfTheWrongType() throws IOException {
        Path file = write("strong:\n  max_in_flight: lots\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("bad value at strong.max_in_flight");
    }

    @Test
    void rejectsAnApiKeyInTheFile() throws IOException {
        Path file = write("weak:\n  api_key: sk-secret\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("weak.api_key is not allowed")
                .hasMessageNotContaining("sk-secret");
    }

    @Test
    void rejectsATierModelWithoutAPrice() throws IOException {
        Path file = write("strong:\n  model: gpt-5\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("strong.model gpt-5 has no entry in prices");
    }

    @Test
    void rejectsBadValues() throws IOException {
        Path file = write("weak:\n  max_in_flight: 0\n  base_url: ftp://x\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("weak.max_in_flight must be >= 1")
                .hasMessageContaining("weak.base_url must be an http:// or https:// URL");
    }

    @Test
    void probe16AFractionOrAQuotedNumberWhereAWholeNumberBelongsIsAnErrorNamingTheKey() throws IOException {
        Path fraction = write("strong:\n  max_in_flight: 1.5\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(fraction))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad value at strong.max_in_flight")
                .hasMessageContaining("1.5");

        Path quoted = write("weak:\n  request_timeout_ms: \"500\"\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(quoted))
                .hasMessageContaining("bad value at weak.request_timeout_ms");

        Path flag = write("weak:\n  allow_insecure_http: 1\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(flag))
                .hasMessageContaining("bad value at weak.allow_insecure_http");
    }

    @Test
    void probe16KafkaPropertiesAreCheckedByKafkasOwnDefinitionsInOneLine() throws IOException {
        Path notANumber = write("kafka:\n  max.request.size: lots\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(notANumber))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "config file " + notANumber + ": kafka.max.request.size: Invalid value lots for configuration"
                                + " max.request.size: Not a number of type INT");

        // the clients' own cross-checks too: an idempotent producer allows at most 5 requests in flight
        Path tooMany = write("kafka:\n  max.in.flight.requests.per.connection: 10\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(tooMany))
                .hasMessageContaining("kafka")
                .hasMessageContaining("max.in.flight.requests.per.connection")
                .hasMessageNotContaining("\n");

        // and one the workers need: every dead letter must fit a request
        Path tiny = write("kafka:\n  max.request.size: 10000\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(tiny))
                .hasMessageContaining("kafka.max.request.size must be at least 262144");
    }

    @Test
    void probe3PlainHttpToAnotherHostIsRefusedWhenTheTierSendsAKey() throws IOException {
        Path keyOverHttp = write("strong:\n  base_url: http://llm.example.com\n");
        assertThatThrownBy(() -> WorkerConfigLoader.load(keyOverHttp))
                .hasMessageContaining("strong.base_url must be https:// to send an API key to llm.example.com")
                .hasMessageContaining("strong.allow_insecure_http: true");

        WorkerConfig allowed = WorkerConfigLoader.load(
                write("strong:\n  base_url: http://llm.example.com\n  allow_insecure_http: true\n"));
        assertThat(allowed.strong().allowInsecureHttp()).isTrue();
        for (String local : new String[] {"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"}) {
            assertThat(WorkerConfigLoader.load(write("weak:\n  base_url: " + local + "\n"))
                            .weak()
                            .baseUrl())
                    .isEqualTo(local);
        }
        // no key, nothing to leak: the replay endpoint of a deployment
        assertThat(WorkerConfigLoader.load(write("weak:\n  base_url: http://replay-llm:8000\n  api_key_env: \"\"\n"))
                        .weak()
                        .baseUrl())
                .isEqualTo("http://replay-llm:8000");
    }

    @Test
    void rejectsAResponseLimitOutsideItsBounds() throws IOException {
        Path file = write("strong:\n  max_response_bytes: 100\n");

        assertThatThrownBy(() -> WorkerConfigLoader.load(file))
                .hasMessageContaining("strong.max_response_bytes must be from 1024 to 67108864, got 100");
    }

    @Test
    void neverPrintsAKeyGivenInCode() {
        TierConfig tier = WorkerConfig.defaults().strong().withApiKey("sk-very-secret");

        assertThat(tier.toString()).doesNotContain("sk-very-secret");
        assertThat(WorkerConfig.defaults().withTier(Tier.STRONG, tier).toString())
                .doesNotContain("sk-very-secret");
        assertThat(tier.resolveApiKey()).isEqualTo("sk-very-secret");
    }

    @Test
    void buildsConfigsInCode() {
        WorkerConfig config = WorkerConfig.defaults()
                .withBootstrapServers("127.0.0.1:39092")
                .withTopicPrefix("it-1-")
                .withTier(Tier.WEAK, WorkerConfig.defaults().weak().withBaseUrl("http://127.0.0.1:1234"));

        assertThat(config.validate().weak().baseUrl()).isEqualTo("http://127.0.0.1:1234");
        assertThat(config.weak().withApiKeyEnv(null).resolveApiKey()).isNull();
        assertThat(config.topicPrefix()).isEqualTo("it-1-");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("llm-workers.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
