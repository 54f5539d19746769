package io.kroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RandomRouterTest {

    @Test
    void scores_are_deterministic_per_text() {
        Router router = new RandomRouter(7);
        assertThat(router.score("hello")).isEqualTo(router.score("hello"));
        assertThat(router.score("hello")).isNotEqualTo(new RandomRouter(8).score("hello"));
    }

    @Test
    void scores_are_uniform_enough_to_calibrate_by_quantile() {
        Router router = new RandomRouter(1);
        int n = 20_000;
        int[] deciles = new int[10];
        for (int i = 0; i < n; i++) {
            double score = router.score("prompt number " + i);
            assertThat(score).isBetween(0.0, 1.0);
            deciles[(int) (score * 10)]++;
        }
        for (int count : deciles) {
            assertThat(count).isBetween(n / 10 - 300, n / 10 + 300);
        }
    }

    @Test
    void loader_understands_random_and_rejects_unknown_references() {
        assertThat(RouterLoader.load("random:3").info()).isEqualTo(new RouterInfo("random", "seed-3"));
        assertThatThrownBy(() -> RouterLoader.load("random:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> RouterLoader.load("nope")).hasMessageContaining("unknown router 'nope'");
    }

    @Test
    void threshold_for_a_strong_share_sends_that_share_to_strong() {
        Router router = new RandomRouter(5);
        double threshold = router.thresholdForStrongShare(0.3);
        long strong = java.util.stream.IntStream.range(0, 10_000)
                .filter(i -> router.score("q" + i) >= threshold)
                .count();
        assertThat(strong).isBetween(2_800L, 3_200L);
        assertThatThrownBy(() -> router.thresholdForStrongShare(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
