package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.router.ThresholdCalibrator;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreWindowTest {

    @Test
    void threshold_is_the_quantile_of_exactly_the_last_scores() {
        ScoreWindow window = new ScoreWindow(100);
        Random random = new Random(7);
        double[] all = new double[1_000];
        for (int i = 0; i < all.length; i++) {
            // ties included: scores on a coarse grid, as a router with few distinct outputs gives
            all[i] = i % 3 == 0 ? Math.round(random.nextDouble() * 10) / 10.0 : random.nextDouble();
            window.add(all[i]);
            double[] recent = Arrays.copyOfRange(all, Math.max(0, i - 99), i + 1);
            Arrays.sort(recent);
            for (double share : new double[] {0, 0.1, 0.3, 0.5, 0.95, 1}) {
                assertThat(window.thresholdFor(share))
                        .as("after %d scores, share %s", i + 1, share)
                        .isEqualTo(ThresholdCalibrator.quantile(recent, 1 - share));
            }
        }
        assertThat(window.size()).isEqualTo(100);
    }

    @Test
    void restored_window_evicts_in_the_same_order_as_the_original() {
        ScoreWindow original = new ScoreWindow(5);
        double[] slots = new double[5];
        for (int i = 0; i < 7; i++) {
            double score = i / 10.0;
            slots[original.add(score)] = score;
        }
        ScoreWindow restored = new ScoreWindow(5);
        restored.restore(slots, 5, original.next());
        for (double next : new double[] {0.9, 0.05, 0.95}) {
            original.add(next);
            restored.add(next);
            assertThat(restored.thresholdFor(0.4)).isEqualTo(original.thresholdFor(0.4));
            assertThat(restored.thresholdFor(1.0)).isEqualTo(original.thresholdFor(1.0));
        }
    }

    @Test
    void inconsistent_state_and_bad_scores_are_refused() {
        ScoreWindow window = new ScoreWindow(4);
        assertThatThrownBy(() -> window.thresholdFor(0.5)).hasMessage("no scores yet");
        assertThatThrownBy(() -> window.add(Double.NaN)).hasMessage("score is NaN");
        assertThatThrownBy(() -> window.restore(new double[4], 2, 3)).hasMessageStartingWith("inconsistent window");
        window.add(0.3);
        window.clear();
        assertThat(window.size()).isZero();
    }
}
