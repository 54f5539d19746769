package io.kroute.router.multi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A performance predictor corrected by labels of the traffic it serves: for each model with at least
 * {@value #MIN_ANSWERS_PER_MODEL} labelled answers, a ridge head fitted to the difference between the labels and the
 * prediction in service is added to that model's head; the others keep theirs.
 *
 * <p>A many-model deployment sends each prompt to one model, so most requests are labelled for one model and models
 * the selector rarely picks get few labels: a predictor trained on those labels alone would forget every model it
 * has none for. Each model's correction learns from the rows where that model was labelled only (a label of another
 * model says nothing of this one). The penalty is chosen by 5-fold CV of the squared error, so with few or noisy
 * labels the correction shrinks to a shift of the model's mean. (The predictor's own choice compares models on one
 * prompt, which one label a request cannot inform.)
 */
public final class PredictorCorrection {

    public static final int MIN_ANSWERS_PER_MODEL = 10;
    private static final int FOLDS = 5;

    /**
     * @param heads the predictor in service, corrected
     * @param corrected the models with enough labelled answers to be corrected
     * @param penalty the correction's ridge penalty
     */
    public record Result(RidgeQuality heads, List<String> corrected, double penalty) {}

    private PredictorCorrection() {}

    /**
     * @param inService the predictor's heads
     * @param x the labelled prompts' vectors [n][d], as the heads read them
     * @param labels [n][M] in the heads' model order and on their quality scale, NaN where not labelled
     * @return the correction, or empty {@code corrected} when no model has enough labels (then the heads unchanged)
     */
    public static Result fit(RidgeQuality inService, float[][] x, double[][] labels, long seed) {
        List<String> models = inService.models();
        List<Integer> columns = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            int count = 0;
            for (double[] row : labels) {
                count += Double.isNaN(row[m]) ? 0 : 1;
            }
            if (count >= MIN_ANSWERS_PER_MODEL) {
                columns.add(m);
            }
        }
        List<String> corrected = columns.stream().map(models::get).toList();
        if (corrected.isEmpty()) {
            return new Result(inService, corrected, Double.NaN);
        }
        double[][] predicted = inService.predict(x);
        double[][] residuals = new double[x.length][columns.size()];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < columns.size(); c++) {
                int m = columns.get(c);
                residuals[i][c] = labels[i][m] - predicted[i][m];
            }
        }
        double penalty = choosePenalty(corrected, x, residuals, seed);
        RidgeQuality correction = perModel(corrected, x, residuals, allRows(x.length), penalty, seed);
        return new Result(inService.plus(correction), corrected, penalty);
    }

    /** A label of 0 to 1 (a rating, a golden label as 0 or 1) on a predictor's quality scale [min, max]. */
    public static double onScale(double label, double[] range) {
        return range[0] + label * (range[1] - range[0]);
    }

    /** Mean squared error of the predictions of every labelled answer (NaN: not labelled); NaN with none. */
    public static double squaredError(double[][] predicted, double[][] labels) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int m = 0; m < labels[i].length; m++) {
                if (!Double.isNaN(labels[i][m])) {
                    double d = predicted[i][m] - labels[i][m];
                    sum += d * d;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** One ridge head per model, each on the rows where it was labelled. */
    private static RidgeQuality perModel(
            List<String> models, float[][] x, double[][] residuals, List<Integer> rows, double penalty, long seed) {
        int d = x[0].length;
        float[][] weights = new float[models.size()][d];
        float[] bias = new float[models.size()];
        for (int m = 0; m < models.size(); m++) {
            final int column = m;
            List<Integer> labelled = rows.stream()
                    .filter(i -> !Double.isNaN(residuals[i][column]))
                    .toList();
            if (labelled.isEmpty()) {
                continue;
            }
            RidgeQuality head = RidgeQuality.train(
                    List.of(models.get(m)),
                    labelled.stream().map(i -> x[i]).toArray(float[][]::new),
                    labelled.stream()
                            .map(i -> new double[] {residuals[i][column]})
                            .toArray(double[][]::new),
                    penalty,
                    0,
                    seed);
            weights[m] = head.weights()[0];
            bias[m] = head.bias()[0];
        }
        return RidgeQuality.of(models, weights, bias, penalty, 0);
    }

    private static List<Integer> allRows(int n) {
        List<Integer> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(i);
        }
        return rows;
    }

    private static double choosePenalty(List<String> models, float[][] x, double[][] residuals, long seed) {
        List<Integer> order = allRows(x.length);
        Collections.shuffle(order, new Random(seed));
        double best = RidgeQuality.PENALTIES[RidgeQuality.PENALTIES.length - 1];
        double bestError = Double.POSITIVE_INFINITY;
        for (double penalty : RidgeQuality.PENALTIES) {
            double error = 0;
            for (int f = 0; f < FOLDS; f++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int k = 0; k < order.size(); k++) {
                    (k % FOLDS == f ? test : train).add(order.get(k));
                }
                double[][] predicted = perModel(models, x, residuals, train, penalty, seed)
                        .predict(test.stream().map(i -> x[i]).toArray(float[][]::new));
                for (int t = 0; t < test.size(); t++) {
                    double[] actual = residuals[test.get(t)];
                    for (int m = 0; m < models.size(); m++) {
                        if (!Double.isNaN(actual[m])) {
                            double e = predicted[t][m] - actual[m];
                            error += e * e;
                        }
                    }
                }
            }
            if (error < bestError) {
                bestError = error;
                best = penalty;
            }
        }
        return best;
    }
}
