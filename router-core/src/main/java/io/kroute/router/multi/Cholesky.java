package io.kroute.router.multi;

/** Solves a symmetric positive definite system (a ridge's Gram matrix plus its penalty) by Cholesky decomposition. */
final class Cholesky {

    private Cholesky() {}

    /** Solves for several right-hand sides at once: {@code b} [n][r]. */
    static double[][] solve(double[][] a, double[][] b) {
        double[][] l = decompose(a);
        int n = b.length;
        int r = b[0].length;
        double[][] out = new double[n][r];
        double[] column = new double[n];
        for (int c = 0; c < r; c++) {
            for (int i = 0; i < n; i++) {
                column[i] = b[i][c];
            }
            double[] x = substitute(l, column);
            for (int i = 0; i < n; i++) {
                out[i][c] = x[i];
            }
        }
        return out;
    }

    static double[] solve(double[][] a, double[] b) {
        return substitute(decompose(a), b);
    }

    private static double[][] decompose(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (s <= 0) {
                        throw new IllegalArgumentException("matrix is not positive definite");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[] substitute(double[][] l, double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }
}
