package io.kroute.router.multi;

import java.util.List;

/**
 * The expected USD cost of sending a prompt to each model, before the call: {@code perPromptToken[m] * promptTokens
 * + perCall[m]}. From prices it is the input price per token and the output price times the model's expected answer
 * length; from data with real per-call costs but no price list (RouterBench) the two terms are fitted per model.
 */
public final class CostModel {

    private final List<String> models;
    private final double[] perPromptToken;
    private final double[] perCall;

    private CostModel(List<String> models, double[] perPromptToken, double[] perCall) {
        this.models = List.copyOf(models);
        this.perPromptToken = perPromptToken;
        this.perCall = perCall;
    }

    /**
     * @param prices each model's price, in the order of {@code models}
     * @param expectedOutputTokens each model's expected answer length in tokens, same order
     */
    public static CostModel fromPrices(List<String> models, List<ModelPrice> prices, double[] expectedOutputTokens) {
        double[] perToken = new double[models.size()];
        double[] perCall = new double[models.size()];
        for (int m = 0; m < perToken.length; m++) {
            perToken[m] = prices.get(m).inputPerMillion() / 1e6;
            perCall[m] = prices.get(m).cost(0, expectedOutputTokens[m]);
        }
        return new CostModel(models, perToken, perCall);
    }

    /**
     * Least squares of each model's real cost on the prompt's tokens, over the rows where the cost is known; a negative
     * slope or intercept (noise) is clamped to zero and the other term refitted, so an expected cost is never negative.
     *
     * @param cost real USD per (row, model), NaN where unknown
     */
    public static CostModel fitted(List<String> models, int[] promptTokens, double[][] cost) {
        int k = models.size();
        double[] perToken = new double[k];
        double[] perCall = new double[k];
        for (int m = 0; m < k; m++) {
            double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < promptTokens.length; i++) {
                double y = cost[i][m];
                if (Double.isNaN(y)) {
                    continue;
                }
                double x = promptTokens[i];
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            if (n == 0) {
                throw new IllegalArgumentException("no known cost for model " + models.get(m));
            }
            double varX = sxx - sx * sx / n;
            double slope = varX > 0 ? (sxy - sx * sy / n) / varX : 0;
            double intercept = (sy - slope * sx) / n;
            if (slope < 0) {
                slope = 0;
                intercept = sy / n;
            } else if (intercept < 0) {
                intercept = 0;
                slope = sxx > 0 ? sxy / sxx : 0;
            }
            perToken[m] = slope;
            perCall[m] = intercept;
        }
        return new CostModel(models, perToken, perCall);
    }

    public List<String> models() {
        return models;
    }

    /** Expected USD of each model for a prompt of this many tokens. */
    public double[] expected(int promptTokens) {
        double[] out = new double[models.size()];
        for (int m = 0; m < out.length; m++) {
            out[m] = perPromptToken[m] * promptTokens + perCall[m];
        }
        return out;
    }

    /** Expected USD per (prompt, model). */
    public double[][] expected(int[] promptTokens) {
        double[][] out = new double[promptTokens.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = expected(promptTokens[i]);
        }
        return out;
    }
}
