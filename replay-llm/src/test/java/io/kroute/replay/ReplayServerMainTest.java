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
    void parsesFaultOptions() {
        ReplayServerOptions options = ReplayServerMain.parse(new String[] {
            "--fail-429",
            "0.1",
            "--retry-after-s",
            "3",
            "--fail-500",
            "0.02",
            "--fail-503",
            "0.03",
            "--fail-timeout",
            "0.01",
            "--fail-drop",
            "0.005",
            "--fault-seed",
            "7"
        });

        assertThat(options.faults()).isEqualTo(new FaultOptions(0.1, 0.02, 0.03, 0.01, 0.005, 3, 7));
    }

    @Test
    void rejectsBadArgumentsWithOneLine() {
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--fail-500", "2"}))
                .hasMessage("--fail-500 expects a rate in [0, 1], got 2");
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--fail-500", "0.6", "--fail-503", "0.6"}))
                .hasMessage("fault rates must add up to at most 1");
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
