package io.kroute.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the share of a task's recent prompts routed to the strong model against the share asked for. A threshold
 * taken from a router's calibration sample holds that share only on traffic like the sample (the shipped router sent
 * 90% of GSM8K-only traffic to strong for a 50% target): when the last {@value #WINDOW} decisions of a task are more
 * than {@value #TOLERANCE_POINTS} points off, the stream says so at once, in a WARN line naming both shares (once every
 * five minutes per task) and in the {@code kroute_router_strong_share} gauge. Forced decisions do not count.
 */
final class ShareMonitor {

    static final int WINDOW = 1_000;
    static final int TOLERANCE_POINTS = 10;
    private static final int WARM_UP = WINDOW / 2;
    private static final long WARN_EVERY_MS = 5 * 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ShareMonitor.class);

    private final double target;
    private final boolean[] strong = new boolean[WINDOW];
    private int next;
    private int size;
    private int strongCount;
    private long lastWarning = Long.MIN_VALUE / 2; // far enough back that the first check warns, and no overflow

    /** @param target the share asked for, or NaN when a fixed threshold was asked for instead (nothing to compare) */
    ShareMonitor(double target) {
        this.target = target;
    }

    /**
     * Records one decision.
     *
     * @return the strong share of the window now
     */
    double observe(boolean toStrong, String task, long nowMs, String calibration) {
        if (size == WINDOW) {
            strongCount -= strong[next] ? 1 : 0;
        } else {
            size++;
        }
        strong[next] = toStrong;
        strongCount += toStrong ? 1 : 0;
        next = (next + 1) % WINDOW;
        double share = share();
        if (offTarget() && nowMs - lastWarning >= WARN_EVERY_MS) {
            lastWarning = nowMs;
            LOG.warn(
                    "task {}: {}% of the last {} prompts went to the strong model, target {}% ({} calibration): this"
                            + " traffic is unlike the router's calibration sample; calibrate on traffic"
                            + " (kroute.calibration=traffic) or recalibrate the router on a sample of it",
                    task, Math.round(1000 * share) / 10.0, size, Math.round(1000 * target) / 10.0, calibration);
        }
        return share;
    }

    double share() {
        return size == 0 ? Double.NaN : strongCount / (double) size;
    }

    /** Whether enough decisions are in and their share is further from the target than the tolerance. */
    boolean offTarget() {
        return !Double.isNaN(target) && size >= WARM_UP && Math.abs(share() - target) * 100 > TOLERANCE_POINTS;
    }
}
