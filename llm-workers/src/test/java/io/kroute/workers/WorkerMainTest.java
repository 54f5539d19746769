package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.schemas.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMainTest {

    @Test
    void takesTheConfigPath() {
        assertThat(WorkerMain.parseConfigPath(new String[] {"--config", "etc/llm-workers.yaml"}))
                .isEqualTo(Path.of("etc/llm-workers.yaml"));
    }

    @Test
    void rejectsBadArgumentsWithOneLine() {
        assertThatThrownBy(() -> WorkerMain.parseConfigPath(new String[] {}))
                .hasMessageStartingWith("missing --config");
        assertThatThrownBy(() -> WorkerMain.parseConfigPath(new String[] {"--config"}))
                .hasMessageStartingWith("missing value for --config");
        assertThatThrownBy(() -> WorkerMain.parseConfigPath(new String[] {"--conf", "x"}))
                .hasMessageStartingWith("unknown option --conf");
        assertThatThrownBy(() -> WorkerMain.parseConfigPath(new String[] {"--config", "a", "b"}))
                .hasMessageStartingWith("unexpected argument b");
    }

    @Test
    void probe16ABadKafkaValueIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        // given
        Path config = dir.resolve("llm-workers.yaml");
        Files.writeString(config, "kafka:\n  max.request.size: lots\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        // when
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerMain.class.getName(),
                        "--config",
                        config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr.strip())
                .isEqualTo("llm-workers: config file " + config + ": kafka.max.request.size: Invalid value lots for"
                        + " configuration max.request.size: Not a number of type INT");
    }

    @Test
    void aBadQueueUnderModelsIsOneLineAndExit2(@TempDir Path dir) throws Exception {
        // given
        Path config = dir.resolve("llm-workers.yaml");
        Files.writeString(
                config,
                "models:\n  gpt-4:\n    model: gpt-4-1106-preview\n    base_url: https://api.openai.com\n"
                        + "    provider: openai\n    fallback: claude\n");

        // when
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerMain.class.getName(),
                        "--config",
                        config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // then
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr.strip())
                .isEqualTo("llm-workers: config file " + config
                        + ": models.gpt-4.fallback must be none or the name of another queue (gpt-4), got claude");
    }

    @Test
    void keepsTheKafkaSettingsTheGuaranteesDependOn() {
        WorkerConfig config = WorkerConfig.defaults()
                .withKafkaProperty("enable.auto.commit", "true")
                .withKafkaProperty("acks", "1")
                .withKafkaProperty("security.protocol", "SSL");

        Map<String, Object> consumer = KafkaClientSettings.consumer(config, Tier.WEAK);
        Map<String, Object> producer = KafkaClientSettings.producer(config, Tier.WEAK, "tx-1");

        assertThat(consumer)
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("group.id", "kroute-llm-workers-weak")
                .containsEntry("max.poll.records", "64")
                .doesNotContainKey("group.instance.id")
                .containsEntry("security.protocol", "SSL");
        assertThat(producer)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("transactional.id", "tx-1")
                .containsEntry("security.protocol", "SSL");
    }
}
