package io.kroute.router.multi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Routoo's performance predictor as per-model ridge heads over one prompt vector: model m's quality on a prompt is
 * {@code mean_m + w_m · standardise(x)}, fitted on the prompts where m was scored. A prompt the data never saw is
 * predicted as the model's mean plus what its vector says; with few labels (hundreds of prompts) the shrinkage keeps
 * the heads close to the means. Solved in the dual ({@code n x n} per model), since there are fewer prompts than
 * vector dimensions. The penalty is chosen by k-fold CV on the training prompts alone (the squared error of the
 * differences between models, what selection reads).
 */
public final class RidgeQuality {

    public static final String KIND = "quality-ridge";
    public static final double[] PENALTIES = {0.3, 1, 3, 10, 30, 100, 300, 1000};

    private final List<String> models;
    private final float[][] weights; // [M][d], on raw vectors
    private final float[] bias; // [M]
    private final double penalty;

    private RidgeQuality(List<String> models, float[][] weights, float[] bias, double penalty) {
        this.models = List.copyOf(models);
        this.weights = weights;
        this.bias = bias;
        this.penalty = penalty;
    }

    /**
     * @param x prompt vectors [n][d]
     * @param quality [n][M], NaN where the model was not scored
     * @param penalty the ridge penalty per prompt, or NaN to choose one from {@link #PENALTIES} by CV
     */
    public static RidgeQuality train(List<String> models, float[][] x, double[][] quality, double penalty, long seed) {
        if (x.length == 0) {
            throw new IllegalArgumentException("no training prompts");
        }
        double chosen = Double.isNaN(penalty) ? choosePenalty(models, x, quality, seed) : penalty;
        return fit(models, x, quality, chosen);
    }

    private static RidgeQuality fit(List<String> models, float[][] x, double[][] quality, double penalty) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                scale[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / n);
            scale[j] = sd > 1e-8 ? 1 / sd : 0;
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) * scale[j];
            }
        }
        double[][] gram = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k <= i; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += z[i][j] * z[k][j];
                }
                gram[i][k] = s / d;
                gram[k][i] = s / d;
            }
        }
        int m = models.size();
        float[][] w = new float[m][d];
        float[] b = new float[m];
        for (int model = 0; model < m; model++) {
            List<Integer> rows = new ArrayList<>();
            double ySum = 0;
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(quality[i][model])) {
                    rows.add(i);
                    ySum += quality[i][model];
                }
            }
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("model " + models.get(model) + " has no scored prompt");
            }
            double yMean = ySum / rows.size();
            int r = rows.size();
            double[][] a = new double[r][r];
            double[] y = new double[r];
            for (int p = 0; p < r; p++) {
                for (int q = 0; q < r; q++) {
                    a[p][q] = gram[rows.get(p)][rows.get(q)];
                }
                a[p][p] += penalty;
                y[p] = quality[rows.get(p)][model] - yMean;
            }
            double[] alpha = Cholesky.solve(a, y);
            // w (on standardised vectors, gram scaled by 1/d) = Zᵀ alpha / d; folded back onto raw vectors
            double intercept = yMean;
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int p = 0; p < r; p++) {
                    s += z[rows.get(p)][j] * alpha[p];
                }
                double onZ = s / d;
                w[model][j] = (float) (onZ * scale[j]);
                intercept -= onZ * scale[j] * mean[j];
            }
            b[model] = (float) intercept;
        }
        return new RidgeQuality(models, w, b, penalty);
    }

    private static double choosePenalty(List<String> models, float[][] x, double[][] quality, long seed) {
        int n = x.length;
        int folds = Math.min(5, n);
        int[] fold = new int[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(Arrays.asList(order), new Random(seed));
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % folds;
        }
        double bestError = Double.POSITIVE_INFINITY;
        double best = PENALTIES[PENALTIES.length / 2];
        for (double penalty : PENALTIES) {
            double error = 0;
            for (int f = 0; f < folds; f++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    (fold[i] == f ? test : train).add(i);
                }
                if (train.isEmpty() || test.isEmpty()) {
                    continue;
                }
                RidgeQuality r = fit(models, rows(x, train), rows(quality, train), penalty);
                double[][] predicted = r.predict(rows(x, test));
                error += differenceError(predicted, rows(quality, test));
            }
            if (error < bestError) {
                bestError = error;
                best = penalty;
            }
        }
        return best;
    }

    /**
     * Squared error of each model's quality relative to the prompt's mean over its scored models: selection compares
     * models on one prompt, so what the prompt does to all of them alike does not matter.
     */
    static double differenceError(double[][] predicted, double[][] actual) {
        double error = 0;
        for (int i = 0; i < predicted.length; i++) {
            double pm = 0, am = 0;
            int k = 0;
            for (int m = 0; m < actual[i].length; m++) {
                if (!Double.isNaN(actual[i][m])) {
                    pm += predicted[i][m];
                    am += actual[i][m];
                    k++;
                }
            }
            if (k == 0) {
                continue;
            }
            pm /= k;
            am /= k;
            for (int m = 0; m < actual[i].length; m++) {
                if (!Double.isNaN(actual[i][m])) {
                    double e = (predicted[i][m] - pm) - (actual[i][m] - am);
                    error += e * e;
                }
            }
        }
        return error;
    }

    public double[][] predict(float[][] x) {
        double[][] out = new double[x.length][models.size()];
        for (int i = 0; i < x.length; i++) {
            for (int m = 0; m < models.size(); m++) {
                double s = bias[m];
                float[] w = weights[m];
                for (int j = 0; j < w.length; j++) {
                    s += w[j] * x[i][j];
                }
                out[i][m] = s;
            }
        }
        return out;
    }

    public List<String> models() {
        return models;
    }

    public float[][] weights() {
        return weights;
    }

    public float[] bias() {
        return bias;
    }

    public double penalty() {
        return penalty;
    }

    static float[][] rows(float[][] a, List<Integer> idx) {
        float[][] out = new float[idx.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[idx.get(i)];
        }
        return out;
    }

    static double[][] rows(double[][] a, List<Integer> idx) {
        double[][] out = new double[idx.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[idx.get(i)];
        }
        return out;
    }
}
