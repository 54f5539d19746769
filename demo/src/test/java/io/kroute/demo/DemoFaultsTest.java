package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.replay.FaultOptions;
import io.kroute.schemas.Tier;
import org.junit.jupiter.api.Test;

class DemoFaultsTest {

    @Test
    void parsesTheIssuesExample() {
        DemoOptions options = DemoOptions.parse(new String[] {"--faults", "500=0.2,429=0.1,timeout=0.05"});

        FaultOptions rates = options.faults().rates();
        assertThat(rates.serverError()).isEqualTo(0.2);
        assertThat(rates.rateLimited()).isEqualTo(0.1);
        assertThat(rates.timeout()).isEqualTo(0.05);
        assertThat(options.faults().outage()).isNull();
        assertThat(options.faults().any()).isTrue();
    }

    @Test
    void givesTheOutageToOneTierOnly() {
        DemoFaults faults = DemoFaults.parse("503=0.01,drop=0.02,outage=strong:10s@3s");

        assertThat(faults.forTier(Tier.STRONG, 1).outages()).containsExactly(new FaultOptions.Outage(3_000, 10_000));
        assertThat(faults.forTier(Tier.WEAK, 1).outages()).isEmpty();
        assertThat(faults.forTier(Tier.WEAK, 1).dropped()).isEqualTo(0.02);
        assertThat(faults.forTier(Tier.STRONG, 1).seed())
                .isNotEqualTo(faults.forTier(Tier.WEAK, 1).seed());
        assertThat(DemoFaults.parse("outage=weak:2").outage()).isEqualTo(new FaultOptions.Outage(5_000, 2_000));
    }

    @Test
    void rejectsBadSpecsWithOneLine() {
        assertThatThrownBy(() -> DemoFaults.parse("404=0.1")).hasMessageContaining("unknown kind '404'");
        assertThatThrownBy(() -> DemoFaults.parse("500=2")).hasMessageContaining("rate in [0, 1]");
        assertThatThrownBy(() -> DemoFaults.parse("500=0.6,429=0.6")).hasMessageContaining("at most 1");
        assertThatThrownBy(() -> DemoFaults.parse("outage=medium:10s")).hasMessageContaining("strong or weak");
        assertThatThrownBy(() -> DemoFaults.parse("outage=strong:0s")).hasMessageContaining("duration > 0");
        assertThatThrownBy(() -> DemoFaults.parse("timeout")).hasMessageContaining("KIND=VALUE");
    }
}
