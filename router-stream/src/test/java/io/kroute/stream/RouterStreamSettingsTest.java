package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RouterStreamSettingsTest {

    @Test
    void reference_config_file_loads_and_splits_routing_from_streams_keys() {
        RouterStreamSettings settings = RouterStreamSettings.load(Path.of("../etc/router-stream.properties"));

        assertThat(settings.routerReference()).isEqualTo("default");
        assertThat(settings.threshold()).isNull();
        assertThat(settings.strongShare()).isEqualTo(0.5);
        assertThat(settings.metricsPort()).isEqualTo(9400);
        assertThat(settings.streams().getProperty("application.id")).isEqualTo("kroute-router");
        assertThat(settings.streams().stringPropertyNames()).noneMatch(name -> name.startsWith("kroute."));
    }

    @Test
    void threshold_comes_from_the_share_unless_given() {
        Properties props = new Properties();
        props.setProperty(RouterStreamSettings.STRONG_SHARE, "0.2");
        assertThat(RouterStreamSettings.fromProperties(props)
                        .policy(new FixedRouter())
                        .threshold())
                .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));

        props.setProperty(RouterStreamSettings.THRESHOLD, "0.33");
        assertThat(RouterStreamSettings.fromProperties(props)
                        .policy(new FixedRouter())
                        .threshold())
                .isEqualTo(0.33);
    }

    @Test
    void bad_values_give_one_line_errors() {
        Properties props = new Properties();
        props.setProperty(RouterStreamSettings.STRONG_SHARE, "lots");
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                .hasMessage("kroute.strong-share is not a number: 'lots'");
        props.setProperty(RouterStreamSettings.STRONG_SHARE, "1.5");
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props)).hasMessageContaining("must be in [0, 1]");
        assertThatThrownBy(() -> RouterStreamMain.configPath(new String[] {"--conf"}))
                .hasMessageStartingWith("usage:");
        assertThatThrownBy(() -> RouterStreamSettings.load(Path.of("/nonexistent.properties")))
                .hasMessageStartingWith("cannot read config");
    }

    @Test
    void probe6_nan_infinite_and_out_of_range_shares_and_thresholds_are_refused_naming_the_key() {
        for (String[] bad : new String[][] {
            {RouterStreamSettings.THRESHOLD, "NaN"},
            {RouterStreamSettings.THRESHOLD, "2.0"},
            {RouterStreamSettings.THRESHOLD, "-Infinity"},
            {RouterStreamSettings.STRONG_SHARE, "NaN"},
            {RouterStreamSettings.STRONG_SHARE, "Infinity"},
            {RouterStreamSettings.BATCH_SIZE, "1.5"},
            {RouterStreamSettings.METRICS_PORT, "lots"},
            {RouterStreamSettings.PROMPT_MAX_BYTES, "10"},
            {RouterStreamSettings.DEDUP_WINDOW_MS, "-1"},
            {"kroute.treshold", "0.5"}
        }) {
            Properties props = new Properties();
            props.setProperty(bad[0], bad[1]);
            assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad[0])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
