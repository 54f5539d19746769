package io.kroute.router.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SurfaceFeaturesTest {

    @Test
    void word_problem_features_count_quantities_and_cues() {
        float[] f = SurfaceFeatures.of("Tom has 3 apples and buys twice as many. How many apples does he have?");
        assertThat(f).hasSize(SurfaceFeatures.COUNT);
        assertThat(f[4]).as("log1p(numbers)").isCloseTo((float) Math.log1p(1), within(1e-6f));
        assertThat(f[6]).as("sentences").isEqualTo(2f);
        int twiceAs = 9 + 43; // index of the cue "twice as"
        assertThat(f[twiceAs]).isEqualTo(1f);
    }

    @Test
    void multiple_choice_features_read_the_options() {
        String mc = "Which of the following is NOT a prime?\nA. 2\nB. 3\nC. 9\nD. 11\nAnswer:";
        String plain = "Tell me a story about a dragon.";
        float[] f = SurfaceFeatures.of(mc);
        float[] g = SurfaceFeatures.of(plain);
        int base = 9 + 58;
        assertThat(f[base + 4]).as("numeric options").isEqualTo(4f);
        assertThat(f[base + 10]).as("upper-case negation").isEqualTo(1f);
        assertThat(f[base + 17]).as("which of the following").isEqualTo(1f);
        assertThat(g[base + 4]).isZero();
        assertThat(g[base + 17]).isZero();
    }

    @Test
    void empty_prompt_gives_finite_features() {
        for (float v : SurfaceFeatures.of("")) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }
}
