package io.kroute.router.multi;

import io.kroute.router.train.Folds;
import java.util.ArrayList;
import java.util.List;

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
    /** Shared prompt factors tried; 0 is one independent head per model. */
    public static final int[] RANKS = {1, 2, 3, 0};

    private final List<String> models;
    private final float[][] weights; // [M][d], on raw vectors
    private final float[] bias; // [M]
    private final double penalty;
    private final int rank;

    private RidgeQuality(List<String> models, float[][] weights, float[] bias, double penalty, int rank) {
        this.models = List.copyOf(models);
        this.weights = weights;
        this.bias = bias;
        this.penalty = penalty;
        this.rank = rank;
    }

    /**
     * @param x prompt vectors [n][d]
     * @param quality [n][M], NaN where the model was not scored
     * @param penalty the ridge penalty, or NaN to choose it (and the rank) from {@link #PENALTIES} and
     *     {@link #RANKS} by CV on these prompts
     */
    public static RidgeQuality train(List<String> models, float[][] x, double[][] quality, double penalty, long seed) {
        return train(models, x, quality, penalty, 0, seed);
    }

    /** @param rank the number of shared prompt factors the heads read, 0 for independent heads (unless chosen) */
    public static RidgeQuality train(
            List<String> models, float[][] x, double[][] quality, double penalty, int rank, long seed) {
        if (x.length == 0) {
            throw new IllegalArgumentException("no training prompts");
        }
        if (Double.isNaN(penalty)) {
            double[] chosen = choose(models, x, quality, seed);
            return fit(models, x, quality, chosen[0], (int) chosen[1]);
        }
        return fit(models, x, quality, penalty, rank);
    }

    /**
     * Ridge from the standardised vector to the quality of every model, centred on its mean (an unscored answer counts
     * as the mean). With a rank k, the targets are first projected on the k main directions along which the models'
     * qualities vary together (an eigen-decomposition of their covariance): the heads then share k prompt factors,
     * which with few labels is much less noise than one head per model (reduced-rank ridge).
     */
    private static RidgeQuality fit(List<String> models, float[][] x, double[][] quality, double penalty, int rank) {
        int n = x.length;
        int d = x[0].length;
        int m = models.size();
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
        double[] yMean = new double[m];
        int[] count = new int[m];
        for (double[] row : quality) {
            for (int k = 0; k < m; k++) {
                if (!Double.isNaN(row[k])) {
                    yMean[k] += row[k];
                    count[k]++;
                }
            }
        }
        for (int k = 0; k < m; k++) {
            if (count[k] == 0) {
                throw new IllegalArgumentException("model " + models.get(k) + " has no scored prompt");
            }
            yMean[k] /= count[k];
        }
        double[][] centred = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                centred[i][k] = Double.isNaN(quality[i][k]) ? 0 : quality[i][k] - yMean[k];
            }
        }
        // directions [m][r]: the identity for independent heads
        double[][] directions = rank <= 0 || rank >= m ? identity(m) : Eigen.top(covariance(centred), rank);
        int r = directions[0].length;
        double[][] targets = multiply(centred, directions); // [n][r]
        double[][] b = solve(z, targets, penalty); // [d][r], on standardised vectors
        float[][] w = new float[m][d];
        float[] bias = new float[m];
        for (int k = 0; k < m; k++) {
            double intercept = yMean[k];
            for (int j = 0; j < d; j++) {
                double onZ = 0;
                for (int f = 0; f < r; f++) {
                    onZ += b[j][f] * directions[k][f];
                }
                w[k][j] = (float) (onZ * scale[j]);
                intercept -= onZ * scale[j] * mean[j];
            }
            bias[k] = (float) intercept;
        }
        return new RidgeQuality(models, w, bias, penalty, rank <= 0 || rank >= m ? 0 : rank);
    }

    /**
     * Ridge on standardised vectors with the Gram matrix scaled by 1/d: in the dual ({@code n x n}) when there are
     * fewer prompts than dimensions, else in the primal ({@code d x d}); the same solution either way.
     */
    private static double[][] solve(double[][] z, double[][] targets, double penalty) {
        int n = z.length;
        int d = z[0].length;
        int r = targets[0].length;
        double[][] out = new double[d][r];
        if (n <= d) {
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
                gram[i][i] += penalty;
            }
            double[][] alpha = Cholesky.solve(gram, targets); // [n][r]
            for (int j = 0; j < d; j++) {
                for (int f = 0; f < r; f++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += z[i][j] * alpha[i][f];
                    }
                    out[j][f] = s / d;
                }
            }
            return out;
        }
        double[][] gram = new double[d][d];
        for (double[] row : z) {
            for (int a = 0; a < d; a++) {
                double za = row[a];
                if (za == 0) {
                    continue;
                }
                for (int c = 0; c <= a; c++) {
                    gram[a][c] += za * row[c];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int c = 0; c <= a; c++) {
                gram[a][c] /= d;
                gram[c][a] = gram[a][c];
            }
            gram[a][a] += penalty;
        }
        double[][] rhs = new double[d][r];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                for (int f = 0; f < r; f++) {
                    rhs[j][f] += z[i][j] * targets[i][f] / d;
                }
            }
        }
        return Cholesky.solve(gram, rhs);
    }

    private static double[][] covariance(double[][] centred) {
        int m = centred[0].length;
        double[][] c = new double[m][m];
        for (double[] row : centred) {
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    c[a][b] += row[a] * row[b];
                }
            }
        }
        return c;
    }

    private static double[][] identity(int m) {
        double[][] out = new double[m][m];
        for (int i = 0; i < m; i++) {
            out[i][i] = 1;
        }
        return out;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                double v = a[i][k];
                for (int j = 0; j < b[0].length; j++) {
                    out[i][j] += v * b[k][j];
                }
            }
        }
        return out;
    }

    /** The penalty and rank with the lowest CV error of the differences between models. */
    private static double[] choose(List<String> models, float[][] x, double[][] quality, long seed) {
        int n = x.length;
        int folds = Math.min(5, n);
        int[] fold = Folds.assign(n, folds, seed);
        double bestError = Double.POSITIVE_INFINITY;
        double[] best = {PENALTIES[PENALTIES.length / 2], 0};
        for (int rank : RANKS) {
            if (rank >= models.size()) {
                continue;
            }
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
                    RidgeQuality r = fit(models, rows(x, train), rows(quality, train), penalty, rank);
                    error += differenceError(r.predict(rows(x, test)), rows(quality, test));
                }
                if (error < bestError) {
                    bestError = error;
                    best = new double[] {penalty, rank};
                }
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

    /**
     * Heads given by their weights (on raw vectors) and biases, e.g. read back from a saved predictor's graph.
     *
     * @param weights [M][d]
     * @param bias [M]
     */
    public static RidgeQuality of(List<String> models, float[][] weights, float[] bias, double penalty, int rank) {
        if (weights.length != models.size() || bias.length != models.size()) {
            throw new IllegalArgumentException("one row of weights and one bias per model");
        }
        return new RidgeQuality(models, weights, bias, penalty, rank);
    }

    /**
     * These heads with a correction added to the models it names (the others keep their heads): a predictor in service
     * and what a deployment's own labels say it gets wrong. Both must read the same vectors. The sum carries the
     * correction's penalty, and rank 0: it no longer reads shared factors only.
     */
    public RidgeQuality plus(RidgeQuality correction) {
        float[][] w = new float[models.size()][];
        float[] b = bias.clone();
        for (int m = 0; m < models.size(); m++) {
            w[m] = weights[m].clone();
        }
        for (int c = 0; c < correction.models.size(); c++) {
            int m = models.indexOf(correction.models.get(c));
            if (m < 0) {
                throw new IllegalArgumentException(
                        "the correction names model '" + correction.models.get(c) + "', which these heads do not know");
            }
            if (correction.weights[c].length != w[m].length) {
                throw new IllegalArgumentException("the correction reads vectors of another size");
            }
            for (int j = 0; j < w[m].length; j++) {
                w[m][j] += correction.weights[c][j];
            }
            b[m] += correction.bias[c];
        }
        return new RidgeQuality(models, w, b, correction.penalty, 0);
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

    /** The shared prompt factors the heads read, 0 for independent heads. */
    public int rank() {
        return rank;
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
