package io.kroute.router.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RidgeRegressionTest {

    @Test
    void recovers_sparse_and_dense_weights_of_a_noiseless_linear_target() {
        Random random = new Random(3);
        int n = 400;
        double[] trueSparse = {1.5, -2.0, 0.0, 0.7, 0.0, 0.0};
        double[] trueDense = {0.4, -0.9};
        RidgeRegression.Row[] rows = new RidgeRegression.Row[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int a = random.nextInt(6);
            int b = (a + 1 + random.nextInt(5)) % 6;
            int[] cols = a < b ? new int[] {a, b} : new int[] {b, a};
            float[] vals = {(float) random.nextDouble(), (float) random.nextDouble()};
            // a constant dense column lets the fit absorb the offset between 0.25 and the target mean exactly
            float[] dense = {(float) random.nextGaussian(), (float) random.nextGaussian(), 1f};
            rows[i] = new RidgeRegression.Row(cols, vals, dense);
            y[i] = 0.25
                    + trueSparse[cols[0]] * vals[0]
                    + trueSparse[cols[1]] * vals[1]
                    + trueDense[0] * dense[0]
                    + trueDense[1] * dense[1];
        }
        RidgeRegression.Solution fit = RidgeRegression.fit(rows, y, 6, 3, 1e-9, 1000);
        double[] predicted = new double[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = RidgeRegression.predict(rows[i], fit.weights(), fit.intercept(), 6);
        }
        for (int i = 0; i < n; i++) {
            assertThat(predicted[i]).isCloseTo(y[i], within(1e-3));
        }
        assertThat(fit.weights()[6]).isCloseTo(0.4, within(0.05));
        assertThat(fit.weights()[7]).isCloseTo(-0.9, within(0.05));
    }

    @Test
    void a_row_of_weight_two_counts_as_two_copies_of_it() {
        RidgeRegression.Row a = new RidgeRegression.Row(new int[] {0}, new float[] {1f}, new float[] {0.5f});
        RidgeRegression.Row b = new RidgeRegression.Row(new int[] {1}, new float[] {1f}, new float[] {-0.2f});
        RidgeRegression.Solution weighted = RidgeRegression.fit(
                new RidgeRegression.Row[] {a, b}, new double[] {1, -1}, new double[] {2, 1}, 2, 1, 0.5, 100);
        RidgeRegression.Solution copied =
                RidgeRegression.fit(new RidgeRegression.Row[] {a, a, b}, new double[] {1, 1, -1}, 2, 1, 0.5, 100);

        assertThat(weighted.intercept()).isCloseTo(1.0 / 3, within(1e-12));
        for (int j = 0; j < 3; j++) {
            assertThat(weighted.weights()[j]).isCloseTo(copied.weights()[j], within(1e-6));
        }
    }

    @Test
    void a_larger_penalty_shrinks_the_weights() {
        RidgeRegression.Row[] rows = {
            new RidgeRegression.Row(new int[] {0}, new float[] {1f}, new float[0]),
            new RidgeRegression.Row(new int[] {1}, new float[] {1f}, new float[0])
        };
        double[] y = {1, -1};
        double small = RidgeRegression.fit(rows, y, 2, 0, 0.01, 100).weights()[0];
        double large = RidgeRegression.fit(rows, y, 2, 0, 10, 100).weights()[0];
        assertThat(small).isCloseTo(1 / 1.01, within(1e-6));
        assertThat(large).isCloseTo(1 / 11.0, within(1e-6));
    }
}
