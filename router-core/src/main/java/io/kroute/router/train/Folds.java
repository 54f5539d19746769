package io.kroute.router.train;

import java.util.Random;

/** Cross-validation folds: every row's fold, by a seeded shuffle, so the same data and seed give the same folds. */
public final class Folds {

    private Folds() {}

    /**
     * @return for each of {@code n} rows its fold in [0, k): the rows in a Fisher-Yates order of {@code new
     *     Random(seed)} (the order {@code Collections.shuffle} gives with it), dealt out in turn
     */
    public static int[] assign(int n, int k, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] fold = new int[n];
        for (int r = 0; r < n; r++) {
            fold[order[r]] = r % k;
        }
        return fold;
    }
}
