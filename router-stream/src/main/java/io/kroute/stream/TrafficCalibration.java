package io.kroute.stream;

/**
 * Calibration on the traffic itself: the threshold is the score that the target share of the last {@code window}
 * prompts of a partition reached, instead of the quantile of the router's own calibration sample. A router calibrated
 * on one mix of prompts keeps its share on another (the shipped router, calibrated mostly on MMLU, sends 89% of
 * GSM8K-only traffic to strong for a 50% target under card calibration).
 *
 * @param strongShare the target share of strong calls
 * @param window how many recent scores per partition the threshold is taken from
 * @param warmup below this many scores (after a start on an empty store or a router swap) the card threshold is used
 */
public record TrafficCalibration(double strongShare, int window, int warmup) {

    public static final int DEFAULT_WINDOW = 2000;
    public static final int DEFAULT_WARMUP = 200;

    public TrafficCalibration {
        if (!(strongShare >= 0 && strongShare <= 1)) {
            throw new IllegalArgumentException("strong share must be in [0, 1], got " + strongShare);
        }
        if (window < 1 || window > 1_000_000) {
            throw new IllegalArgumentException("calibration window must be in [1, 1000000], got " + window);
        }
        if (warmup < 1 || warmup > window) {
            throw new IllegalArgumentException(
                    "calibration warm-up must be in [1, window=" + window + "], got " + warmup);
        }
    }
}
