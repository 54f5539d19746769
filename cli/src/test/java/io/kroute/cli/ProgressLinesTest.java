package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    @Test
    void printsAtMostOneLinePerIntervalWithTheRateSinceTheLast() {
        // given
        AtomicLong nanos = new AtomicLong();
        StringWriter err = new StringWriter();
        ProgressLines progress = new ProgressLines(new PrintWriter(err, true), Duration.ofSeconds(2), nanos::get);

        // when
        nanos.set(1_000_000_000L);
        progress.update(100, 80);
        nanos.set(2_000_000_000L);
        progress.update(1300, 1200);
        nanos.set(3_000_000_000L);
        progress.update(1400, 1300);
        nanos.set(4_000_000_000L);
        progress.update(2000, 1880);

        // then
        assertThat(err.toString().lines()).containsExactly("produce: 1200 sent, 600/s", "produce: 1880 sent, 340/s");
    }
}
