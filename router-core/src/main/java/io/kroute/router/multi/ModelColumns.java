package io.kroute.router.multi;

/**
 * Quality, cost and prediction tables have a column per model; restricting one to some of the models keeps their
 * columns, in the order given.
 */
public final class ModelColumns {

    private ModelColumns() {}

    /** {@code row[column[0]], row[column[1]], ...} */
    public static double[] of(double[] row, int[] column) {
        double[] out = new double[column.length];
        for (int k = 0; k < column.length; k++) {
            out[k] = row[column[k]];
        }
        return out;
    }

    /** Every row restricted to the columns. */
    public static double[][] of(double[][] table, int[] column) {
        double[][] out = new double[table.length][];
        for (int i = 0; i < table.length; i++) {
            out[i] = of(table[i], column);
        }
        return out;
    }
}
