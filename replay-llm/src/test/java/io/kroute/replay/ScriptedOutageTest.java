package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedOutageTest {

    @Test
    void coversItsWindowOnly() {
        FaultOptions.Outage outage = new FaultOptions.Outage(5_000, 10_000);

        assertThat(outage.covers(4_999)).isFalse();
        assertThat(outage.covers(5_000)).isTrue();
        assertThat(outage.covers(14_999)).isTrue();
        assertThat(outage.covers(15_000)).isFalse();
    }

    @Test
    void parsesRepeatedOutageOptions() {
        ReplayServerOptions options =
                ReplayServerMain.parse(new String[] {"--outage", "5:10", "--outage", "30.5:0.5", "--fail-500", "0.2"});

        assertThat(options.faults().outages())
                .containsExactly(new FaultOptions.Outage(5_000, 10_000), new FaultOptions.Outage(30_500, 500));
        assertThat(options.faults().serverError()).isEqualTo(0.2);
        assertThat(FaultOptions.none().withOutage(new FaultOptions.Outage(0, 1)).outages())
                .isEqualTo(List.of(new FaultOptions.Outage(0, 1)));
    }

    @Test
    void rejectsAnOutageWithoutDuration() {
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--outage", "5"}))
                .hasMessageContaining("--outage expects START_S:DURATION_S");
        assertThatThrownBy(() -> ReplayServerMain.parse(new String[] {"--outage", "5:0"}))
                .hasMessageContaining("--outage expects START_S:DURATION_S");
    }
}
