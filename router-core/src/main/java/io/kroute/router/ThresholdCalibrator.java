package io.kroute.router;

import java.util.Arrays;

/**
 * RouteLLM's {@code calibrate_threshold}: the threshold that sends a share p of traffic to the strong model is the
 * (1 - p) quantile of the scores on a calibration sample. Quantiles are kept at every percent, interpolated linearly
 * in between (numpy's default), which also gives the inverse: the share a threshold sends to strong.
 */
public final class ThresholdCalibrator {

    public static final int POINTS = 101;

    private ThresholdCalibrator() {}

    /** Quantiles at 0, 1, …, 100 percent. */
    public static double[] quantiles(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one score");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double[] q = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            q[i] = quantile(sorted, i / 100.0);
        }
        return q;
    }

    /** numpy.percentile with linear interpolation, on sorted values. */
    public static double quantile(double[] sorted, double fraction) {
        double position = fraction * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(sorted.length - 1, lower + 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /** The threshold for a target share of strong calls. */
    public static double threshold(double[] quantiles, double strongShare) {
        if (!(strongShare >= 0 && strongShare <= 1)) {
            throw new IllegalArgumentException("strong share must be in [0, 1], got " + strongShare);
        }
        return quantile(quantiles, 1 - strongShare);
    }

    /** The inverse: the share of the calibration sample whose score is at or above the threshold. */
    public static double strongShare(double[] quantiles, double threshold) {
        int n = quantiles.length - 1;
        if (threshold <= quantiles[0]) {
            return 1.0;
        }
        if (threshold > quantiles[n]) {
            return 0.0;
        }
        for (int i = 1; i <= n; i++) {
            if (threshold <= quantiles[i]) {
                double span = quantiles[i] - quantiles[i - 1];
                double within = span > 0 ? (threshold - quantiles[i - 1]) / span : 1.0;
                return 1.0 - (i - 1 + within) / n;
            }
        }
        return 0.0;
    }
}
