package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.schemas.Tier;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void keepsTheKafkaSettingsTheGuaranteesDependOn() {
        WorkerConfig config = WorkerConfig.defaults()
                .withKafkaProperty("enable.auto.commit", "true")
                .withKafkaProperty("acks", "1")
                .withKafkaProperty("security.protocol", "SSL");

        Map<String, Object> consumer = QueueLoop.consumerConfig(config, Tier.WEAK);
        Map<String, Object> producer = QueueLoop.producerConfig(config, Tier.WEAK, "tx-1");

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
