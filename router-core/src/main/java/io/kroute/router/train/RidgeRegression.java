package io.kroute.router.train;

/**
 * Ridge regression over rows that are part sparse (hashed n-gram buckets) and part dense (vector, features):
 * minimises |A x - y|² + lambda |x|² by conjugate gradients on the normal equations, never forming AᵀA. The
 * target is centred first and its mean returned as the intercept, which is not penalised.
 */
final class RidgeRegression {

    /** One row: sparse columns in [0, sparseWidth), then the dense part in [sparseWidth, sparseWidth + dense). */
    record Row(int[] columns, float[] values, float[] dense) {}

    record Solution(double[] weights, double intercept, int iterations, double relativeResidual) {}

    private RidgeRegression() {}

    static Solution fit(Row[] rows, double[] y, int sparseWidth, int denseWidth, double lambda, int maxIterations) {
        return fit(rows, y, null, sparseWidth, denseWidth, lambda, maxIterations);
    }

    /**
     * Weighted: minimises Σ w_i (a_i·x + b − y_i)² + lambda |x|², with b the weighted mean of y (rows are scaled by
     * √w_i, so a row of weight 2 counts as two copies of it).
     *
     * @param weights one positive weight per row, or null for 1 each
     */
    static Solution fit(
            Row[] rows,
            double[] y,
            double[] weights,
            int sparseWidth,
            int denseWidth,
            double lambda,
            int maxIterations) {
        int width = sparseWidth + denseWidth;
        double mean = 0;
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            double w = weights == null ? 1 : weights[i];
            mean += w * y[i];
            total += w;
        }
        mean /= total;
        double[] centred = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            centred[i] = y[i] - mean;
        }
        if (weights != null) {
            rows = rows.clone();
            for (int i = 0; i < rows.length; i++) {
                float root = (float) Math.sqrt(weights[i]);
                centred[i] *= root;
                float[] values = rows[i].values().clone();
                float[] dense = rows[i].dense().clone();
                for (int k = 0; k < values.length; k++) {
                    values[k] *= root;
                }
                for (int k = 0; k < dense.length; k++) {
                    dense[k] *= root;
                }
                rows[i] = new Row(rows[i].columns(), values, dense);
            }
        }
        double[] x = new double[width];
        double[] r = transposeTimes(rows, centred, sparseWidth, width);
        double[] p = r.clone();
        double rs = dot(r, r);
        double rs0 = rs;
        int it = 0;
        while (it < maxIterations && rs > 1e-12 * rs0 && rs > 0) {
            double[] ap = transposeTimes(rows, times(rows, p, sparseWidth), sparseWidth, width);
            for (int j = 0; j < width; j++) {
                ap[j] += lambda * p[j];
            }
            double alpha = rs / dot(p, ap);
            for (int j = 0; j < width; j++) {
                x[j] += alpha * p[j];
                r[j] -= alpha * ap[j];
            }
            double next = dot(r, r);
            double beta = next / rs;
            for (int j = 0; j < width; j++) {
                p[j] = r[j] + beta * p[j];
            }
            rs = next;
            it++;
        }
        return new Solution(x, mean, it, rs0 == 0 ? 0 : Math.sqrt(rs / rs0));
    }

    static double predict(Row row, double[] weights, double intercept, int sparseWidth) {
        return intercept + rowDot(row, weights, sparseWidth);
    }

    private static double[] times(Row[] rows, double[] v, int sparseWidth) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rowDot(rows[i], v, sparseWidth);
        }
        return out;
    }

    private static double rowDot(Row row, double[] v, int sparseWidth) {
        double s = 0;
        for (int k = 0; k < row.columns.length; k++) {
            s += row.values[k] * v[row.columns[k]];
        }
        for (int k = 0; k < row.dense.length; k++) {
            s += row.dense[k] * v[sparseWidth + k];
        }
        return s;
    }

    private static double[] transposeTimes(Row[] rows, double[] z, int sparseWidth, int width) {
        double[] out = new double[width];
        for (int i = 0; i < rows.length; i++) {
            double zi = z[i];
            if (zi == 0) {
                continue;
            }
            Row row = rows[i];
            for (int k = 0; k < row.columns.length; k++) {
                out[row.columns[k]] += zi * row.values[k];
            }
            for (int k = 0; k < row.dense.length; k++) {
                out[sparseWidth + k] += zi * row.dense[k];
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
