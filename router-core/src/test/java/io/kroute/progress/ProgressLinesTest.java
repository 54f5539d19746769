package io.kroute.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    private final AtomicLong nanos = new AtomicLong();
    private final StringWriter err = new StringWriter();

    @Test
    void printsAtMostOneLinePerIntervalWithTheRateSinceTheLast() {
        // given
        ProgressLines progress =
                new ProgressLines(new PrintWriter(err, true), "produce", "lines", Duration.ofSeconds(2), nanos::get);

        // when
        at(1, () -> progress.update(100, -1, "80 sent"));
        at(2, () -> progress.update(1200, -1, "1190 sent"));
        at(3, () -> progress.update(1300, -1, "1290 sent"));
        at(4, () -> progress.update(1880, -1, "1870 sent"));

        // then
        assertThat(err.toString().lines())
                .containsExactly("produce: 1200 lines, 600/s, 1190 sent", "produce: 1880 lines, 340/s, 1870 sent");
    }

    @Test
    void aKnownTotalAddsTheEtaAtTheAverageRate() {
        // given
        ProgressLines progress =
                new ProgressLines(new PrintWriter(err, true), "batch", "requests", Duration.ofSeconds(5), nanos::get);

        // when: 10 of 40 in 5 s, then 20 of 40 (total learnt once, then not repeated) in 10 s
        at(1, () -> progress.update(0, 40, ""));
        at(5, () -> progress.update(10, 40, "$0.0100 spent"));
        at(10, () -> progress.update(20, -1, ""));

        // then
        assertThat(err.toString().lines())
                .containsExactly(
                        "batch: 10/40 requests, 2.0/s, ETA 15 s, $0.0100 spent",
                        "batch: 20/40 requests, 2.0/s, ETA 10 s");
    }

    private void at(long second, Runnable update) {
        nanos.set(second * 1_000_000_000L);
        update.run();
    }
}
