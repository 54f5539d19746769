package io.kroute.router.multi;

import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.train.BattleSet;
import io.kroute.router.train.MatrixFactorization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RouteLLM's matrix factorisation as a performance predictor: MF is trained on the battles the scored answers imply
 * (every pair of models on a prompt), its model embeddings give each model's strength on a prompt, and one straight
 * line per model, fitted on the training prompts, turns strength into quality on the data's scale. Measured beside
 * the ridge heads in {@code eval --models}; not shipped.
 */
public final class MfQuality {

    private final MatrixFactorization mf;
    private final int[] column; // our model index -> MF's
    private final double[] slope;
    private final double[] intercept;

    private MfQuality(MatrixFactorization mf, int[] column, double[] slope, double[] intercept) {
        this.mf = mf;
        this.column = column;
        this.slope = slope;
        this.intercept = intercept;
    }

    public static MfQuality train(
            List<String> models, List<String> prompts, float[][] x, double[][] quality, long seed) {
        List<ScoredAnswer> answers = new ArrayList<>();
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            Map<String, Double> scores = new HashMap<>();
            for (int m = 0; m < models.size(); m++) {
                if (!Double.isNaN(quality[i][m])) {
                    scores.put(models.get(m), quality[i][m]);
                }
            }
            answers.add(new ScoredAnswer("p/" + i, prompts.get(i), scores));
            vectors.put(prompts.get(i), x[i]);
        }
        BattleSet battles = BattleSet.of(TrainingData.battles(answers), vectors);
        MatrixFactorization.Settings d = MatrixFactorization.Settings.defaults();
        MatrixFactorization mf = MatrixFactorization.train(
                battles,
                new MatrixFactorization.Settings(
                        d.dim(), d.epochs(), d.learningRate(), d.weightDecay(), d.batchPrompts(), seed),
                e -> {});
        int[] column = new int[models.size()];
        for (int m = 0; m < column.length; m++) {
            column[m] = mf.models().indexOf(models.get(m));
            if (column[m] < 0) {
                throw new IllegalArgumentException("model " + models.get(m) + " has no battle to learn from");
            }
        }
        double[][] logits = mf.logits(x);
        double[] slope = new double[models.size()];
        double[] intercept = new double[models.size()];
        for (int m = 0; m < slope.length; m++) {
            double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < x.length; i++) {
                if (Double.isNaN(quality[i][m])) {
                    continue;
                }
                double l = logits[i][column[m]];
                n++;
                sx += l;
                sy += quality[i][m];
                sxx += l * l;
                sxy += l * quality[i][m];
            }
            double var = sxx - sx * sx / n;
            slope[m] = var > 1e-12 ? (sxy - sx * sy / n) / var : 0;
            intercept[m] = (sy - slope[m] * sx) / n;
        }
        return new MfQuality(mf, column, slope, intercept);
    }

    public double[][] predict(float[][] x) {
        double[][] logits = mf.logits(x);
        double[][] out = new double[x.length][column.length];
        for (int i = 0; i < x.length; i++) {
            for (int m = 0; m < column.length; m++) {
                out[i][m] = intercept[m] + slope[m] * logits[i][column[m]];
            }
        }
        return out;
    }
}
