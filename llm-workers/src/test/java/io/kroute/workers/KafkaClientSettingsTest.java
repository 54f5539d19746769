package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.Tier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    @Test
    void row15EveryClientTheWorkersCreateGetsTheConnectionSettings() {
        // given a secured cluster, the secret read through a config provider
        Map<String, String> connection = new LinkedHashMap<>();
        connection.put("bootstrap.servers", "broker-1:9093");
        connection.put("security.protocol", "SASL_SSL");
        connection.put("sasl.mechanism", "SCRAM-SHA-512");
        connection.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"w\" password=\"p\";");
        connection.put("ssl.truststore.location", "/etc/kafka/truststore.jks");
        connection.put("client.dns.lookup", "use_all_dns_ips");
        connection.put("config.providers", "file");
        connection.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        WorkerConfig config = WorkerConfig.defaults().withBootstrapServers("broker-1:9093");
        for (Map.Entry<String, String> setting : connection.entrySet()) {
            if (!setting.getKey().equals("bootstrap.servers")) {
                config = config.withKafkaProperty(setting.getKey(), setting.getValue());
            }
        }
        config = config.withKafkaProperty("linger.ms", "20").validate();

        // then the consumer and the transactional producer of each queue, and the broker check at start
        for (Tier tier : Tier.values()) {
            assertThat(KafkaClientSettings.consumer(config, tier)).containsAllEntriesOf(connection);
            assertThat(KafkaClientSettings.producer(config, tier, "tx")).containsAllEntriesOf(connection);
        }
        assertThat(config.connection().clientConfig())
                .containsAllEntriesOf(connection)
                .doesNotContainKey("linger.ms");
    }

    @Test
    void boundsOutcomesByTheProducersRequestSize() {
        WorkerConfig config = WorkerConfig.defaults();

        assertThat(KafkaClientSettings.maxRecordBytes(config)).isEqualTo(1_048_576 - 4096);
        assertThat(KafkaClientSettings.maxRecordBytes(config.withKafkaProperty("max.request.size", " 2097152 ")))
                .isEqualTo(2_097_152 - 4096);
    }
}
