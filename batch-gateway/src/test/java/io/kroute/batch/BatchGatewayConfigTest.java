package io.kroute.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BatchGatewayConfigTest {

    @Test
    void the_reference_file_holds_the_defaults() {
        BatchGatewayConfig fromFile = BatchGatewayConfig.load(Path.of("../etc/batch-gateway.yaml"));

        assertThat(fromFile).isEqualTo(BatchGatewayConfig.defaults());
    }

    @Test
    void a_config_written_out_reads_back_equal() {
        BatchGatewayConfig config = BatchGatewayConfig.defaults().withMaxInFlightPerJob(7);

        assertThat(BatchGatewayConfig.parse(io.kroute.runtime.YamlConfig.toYaml(config)))
                .isEqualTo(config);
    }

    @Test
    void bad_settings_are_one_line_naming_the_key() {
        assertThatThrownBy(() -> BatchGatewayConfig.parse("max_in_flight_per_jobs: 3"))
                .hasMessageContaining("unknown key 'max_in_flight_per_jobs'");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("port: \"80\"")).hasMessageContaining("bad value at port");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("max_in_flight_per_job: 0"))
                .hasMessageContaining("max_in_flight_per_job must be at least 1");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("api_keys: []")).hasMessageContaining("api_keys is empty");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("prices: {strong: {input_per_million: -1}}"))
                .hasMessageContaining("price");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("kafka: {processing.guarantee: at_least_once}"))
                .hasMessageContaining("kafka.processing.guarantee cannot be set");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("kafka: {sasl.mechanisms: PLAIN}"))
                .hasMessageContaining("kafka.sasl.mechanisms is not a Kafka client or Streams setting");
        assertThat(BatchGatewayConfig.parse("kafka: {security.protocol: SASL_SSL, producer.linger.ms: \"5\"}")
                        .kafka())
                .containsEntry("security.protocol", "SASL_SSL");
        assertThatThrownBy(() -> BatchGatewayConfig.defaults().withMaxInFlightPerJob(0))
                .hasMessageContaining("max_in_flight_per_job must be at least 1");
        assertThatThrownBy(() -> BatchGatewayConfig.parse("api_keys: [{id: a, key_env: A, key: sk-123}]"))
                .hasMessageContaining("api_keys[].key is not allowed")
                .hasMessageNotContaining("sk-123");
    }

    @Test
    void a_key_whose_variable_is_unset_names_the_variable() {
        BatchGatewayConfig config = BatchGatewayConfig.defaults();

        assertThatThrownBy(() -> BatchGatewayApp.start(config, name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("api key 'default': environment variable KROUTE_API_KEY is not set");
    }

    @Test
    void main_refuses_bad_arguments_in_one_line() {
        assertThatThrownBy(() -> BatchGatewayMain.configPath(new String[] {})).hasMessageContaining("missing --config");
        assertThatThrownBy(() -> BatchGatewayMain.configPath(new String[] {"--config", "a", "b"}))
                .hasMessageContaining("unexpected arguments");
    }
}
