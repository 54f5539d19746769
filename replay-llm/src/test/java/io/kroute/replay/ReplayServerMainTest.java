package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplayServerMainTest {

    @Test
    void parsesAllOptions() {
        ReplayServerOptions options = ReplayServerMain.parse(
                new String[] {"--port", "0", "--latency-ms", "250", "--jitter-ms", "20", "--api-key", "k"});

        assertThat(options.port()).isZero();
        assertThat(options.latencyMs()).isEqualTo(250);
        assertThat(options.jitterMs()).isEqualTo(20);
        assertThat(options.apiKey()).isEqualTo("k");
        assertThat(options.toString()).doesNotContain("=k");
    }

    @Test
    void rejectsBadArgumentsWithOneLine() {
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--port", "x"}))
                .hasMessage("--port expects a number, got 'x'");
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--port", "70000"}))
                .hasMessageContaining("must be in");
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--latency-ms"}))
                .hasMessage("missing value for --latency-ms");
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--verbose", "1"}))
                .hasMessage("unknown option --verbose");
    }
}
