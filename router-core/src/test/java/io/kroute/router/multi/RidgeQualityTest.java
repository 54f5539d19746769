package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RidgeQualityTest {

    /** Three models whose qualities follow one hidden difficulty, read off the first coordinate of the vector. */
    private static double[][] quality(float[][] x, Random noise) {
        double[][] q = new double[x.length][3];
        for (int i = 0; i < x.length; i++) {
            double easy = x[i][0];
            q[i][0] = 8 + 0.2 * easy + noise.nextGaussian() * 0.3;
            q[i][1] = 5 + 2.0 * easy + noise.nextGaussian() * 0.3;
            q[i][2] = 3 + 3.0 * easy + noise.nextGaussian() * 0.3;
        }
        return q;
    }

    private static float[][] vectors(int n, int d, Random random) {
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void held_out_prompts_get_the_planted_differences_between_models() {
        // given
        Random random = new Random(7);
        float[][] x = vectors(300, 40, random);
        double[][] q = quality(x, random);
        q[3][1] = Double.NaN; // an unscored answer
        // when penalty and rank are chosen by CV
        RidgeQuality heads = RidgeQuality.train(List.of("a", "b", "c"), x, q, Double.NaN, 1);
        float[][] test = vectors(200, 40, random);
        double[][] predicted = heads.predict(test);
        double[][] truth = quality(test, new Random(1));
        // then the gap between models tracks the truth closely
        double error = RidgeQuality.differenceError(predicted, truth) / (200 * 3);
        double baseline = RidgeQuality.differenceError(constant(200, new double[] {8, 5, 3}), truth) / (200 * 3);
        assertThat(error).isLessThan(baseline / 4);
        assertThat(heads.rank()).isIn(0, 1, 2, 3);
    }

    @Test
    void rank_one_heads_are_a_shared_factor_times_a_loading_per_model() {
        Random random = new Random(3);
        float[][] x = vectors(200, 20, random);
        RidgeQuality heads = RidgeQuality.train(List.of("a", "b", "c"), x, quality(x, random), 1.0, 1, 1);
        float[][] w = heads.weights();
        // each model's weights are parallel to the others'
        double cos = cosine(w[1], w[2]);
        assertThat(Math.abs(cos)).isGreaterThan(0.999);
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double[][] constant(int n, double[] row) {
        double[][] out = new double[n][];
        java.util.Arrays.fill(out, row);
        return out;
    }
}
