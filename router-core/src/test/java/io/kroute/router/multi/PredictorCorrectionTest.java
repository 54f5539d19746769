package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A predictor in service corrected by labels that say what it gets wrong, model by model. */
class PredictorCorrectionTest {

    private static final List<String> MODELS = List.of("a", "b", "c");
    private static final int D = 8;

    /** Heads that predict 5 for every model, whatever the prompt. */
    private static RidgeQuality flat() {
        return RidgeQuality.of(MODELS, new float[3][D], new float[] {5, 5, 5}, 1, 0);
    }

    private static float[][] vectors(int n, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][D];
        for (float[] row : x) {
            for (int j = 0; j < D; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void a_model_labelled_better_on_some_prompts_is_corrected_there_and_an_unlabelled_one_keeps_its_head() {
        // given: model b is 8 where the first coordinate is positive and 2 elsewhere; a is 5 (as predicted); c
        // unlabelled
        float[][] x = vectors(300, 1);
        double[][] labels = new double[x.length][3];
        for (int i = 0; i < x.length; i++) {
            labels[i] = new double[] {i % 2 == 0 ? 5 : Double.NaN, x[i][0] > 0 ? 8 : 2, Double.NaN};
        }

        // when
        PredictorCorrection.Result result = PredictorCorrection.fit(flat(), x, labels, 7);

        // then: on prompts it never saw
        assertThat(result.corrected()).containsExactly("a", "b");
        float[][] fresh = vectors(200, 2);
        double[][] predicted = result.heads().predict(fresh);
        double above = 0, below = 0;
        int nAbove = 0, nBelow = 0;
        for (int i = 0; i < fresh.length; i++) {
            assertThat(predicted[i][2]).isCloseTo(5, within(1e-6));
            assertThat(predicted[i][0]).isCloseTo(5, within(0.5));
            if (fresh[i][0] > 0) {
                above += predicted[i][1];
                nAbove++;
            } else {
                below += predicted[i][1];
                nBelow++;
            }
        }
        assertThat(above / nAbove - below / nBelow).isGreaterThan(3);
    }

    @Test
    void fewer_labels_than_the_minimum_correct_nothing() {
        float[][] x = vectors(PredictorCorrection.MIN_ANSWERS_PER_MODEL - 1, 3);
        double[][] labels = new double[x.length][3];
        for (double[] row : labels) {
            Arrays.fill(row, 9);
        }

        PredictorCorrection.Result result = PredictorCorrection.fit(flat(), x, labels, 7);

        assertThat(result.corrected()).isEmpty();
        assertThat(result.heads().predict(x)[0]).containsExactly(5, 5, 5);
    }
}
