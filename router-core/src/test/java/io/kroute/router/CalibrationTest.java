package io.kroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void threshold_is_the_numpy_percentile_of_one_minus_the_share() {
        double[] scores = new double[101];
        for (int i = 0; i <= 100; i++) {
            scores[100 - i] = i; // unsorted on purpose
        }
        double[] q = ThresholdCalibrator.quantiles(scores);
        assertThat(ThresholdCalibrator.threshold(q, 0.3)).isCloseTo(70.0, within(1e-12));
        assertThat(ThresholdCalibrator.threshold(q, 0.0)).isEqualTo(100.0);
        assertThat(ThresholdCalibrator.threshold(q, 1.0)).isEqualTo(0.0);
        assertThat(ThresholdCalibrator.quantile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5);
    }

    @Test
    void share_for_a_threshold_inverts_threshold_for_a_share_and_matches_the_sample() {
        Random random = new Random(3);
        double[] scores = new double[5000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.pow(random.nextDouble(), 3);
        }
        double[] q = ThresholdCalibrator.quantiles(scores);
        for (double share : new double[] {0.05, 0.2, 0.5, 0.77, 0.95}) {
            double t = ThresholdCalibrator.threshold(q, share);
            assertThat(ThresholdCalibrator.strongShare(q, t)).isCloseTo(share, within(1e-9));
            long above = java.util.Arrays.stream(scores).filter(s -> s >= t).count();
            assertThat((double) above / scores.length).isCloseTo(share, within(0.01));
        }
        assertThat(ThresholdCalibrator.strongShare(q, 2.0)).isEqualTo(0.0);
        assertThat(ThresholdCalibrator.strongShare(q, -1.0)).isEqualTo(1.0);
        assertThatThrownBy(() -> ThresholdCalibrator.threshold(q, 1.2)).isInstanceOf(IllegalArgumentException.class);
    }
}
