package io.kroute.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress as a plain line at most every interval, e.g. {@code produce: 1300 lines, 600/s, 1200 sent} or
 * {@code batch: 13/20 requests, 2.5/s, ETA 3 s, $0.0123 spent}: readable in a log.
 */
public final class ProgressLines implements Progress {

    private final PrintWriter err;
    private final String task;
    private final String unit;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastNanos;
    private long lastDone;
    private long total = -1;

    public ProgressLines(PrintWriter err, String task, String unit, Duration interval, LongSupplier nanoClock) {
        this.err = err;
        this.task = task;
        this.unit = unit;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastNanos = startNanos;
    }

    @Override
    public synchronized void update(long done, long total, String detail) {
        if (total >= 0) {
            this.total = total;
        }
        long now = nanoClock.getAsLong();
        long elapsed = now - lastNanos;
        if (elapsed < intervalNanos) {
            return;
        }
        StringBuilder line = new StringBuilder(task).append(": ").append(done);
        if (this.total >= 0) {
            line.append('/').append(this.total);
        }
        line.append(' ').append(unit).append(", ").append(rate((done - lastDone) * 1e9 / elapsed));
        String eta = eta(done, now);
        if (!eta.isEmpty()) {
            line.append(", ETA ").append(eta);
        }
        if (!detail.isEmpty()) {
            line.append(", ").append(detail);
        }
        err.println(line);
        lastNanos = now;
        lastDone = done;
    }

    @Override
    public void close() {
        // nothing on screen to clean up
    }

    /** Whole numbers when fast (a log reader wants the order of magnitude), one decimal when slow (a batch). */
    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, perSecond >= 10 ? "%.0f/s" : "%.1f/s", perSecond);
    }

    /** The time left at the average rate since the start, which moves less than the last interval's; empty if unknown. */
    private String eta(long done, long now) {
        if (total <= 0 || done <= 0 || done >= total) {
            return "";
        }
        double secondsLeft = (total - done) * ((now - startNanos) / 1e9) / done;
        long seconds = Math.round(Math.ceil(secondsLeft));
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return Math.round(seconds / 60.0) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
}
