package io.kroute.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Progress as a plain line at most every interval, e.g. {@code produce: 1200 sent, 340/s}: readable in a log. */
final class ProgressLines implements ProduceProgress {

    private final PrintWriter err;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastNanos;
    private long lastSent;

    ProgressLines(PrintWriter err, Duration interval, LongSupplier nanoClock) {
        this.err = err;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.lastNanos = nanoClock.getAsLong();
    }

    @Override
    public void update(long linesRead, long sent) {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastNanos;
        if (elapsed < intervalNanos) {
            return;
        }
        double perSecond = (sent - lastSent) * 1e9 / elapsed;
        err.println(String.format(Locale.ROOT, "produce: %d sent, %.0f/s", sent, perSecond));
        lastNanos = now;
        lastSent = sent;
    }

    @Override
    public void close() {
        // nothing on screen to clean up
    }
}
