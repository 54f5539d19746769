package io.kroute.router.train;

import io.kroute.router.data.Battle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Battles indexed for training: distinct prompts with their vectors, models by index, and per battle the prompt,
 * the two models and the score of model A (1 win, 0.5 tie, 0 loss).
 */
public final class BattleSet {

    public final List<String> models;
    /** The distinct prompt texts, aligned with {@link #prompts}. */
    public final List<String> texts;

    public final float[][] prompts;
    public final int[] prompt;
    public final int[] modelA;
    public final int[] modelB;
    public final double[] scoreA;
    /** The source (data set) of each distinct prompt, aligned with {@link #texts}; null when not known. */
    public final String[] sources;
    /**
     * The mean score over many models of each distinct prompt ({@link io.kroute.router.data.TrainingData#meanScores}),
     * NaN where it was not scored for many; null when not known.
     */
    public final double[] meanScores;

    private BattleSet(
            List<String> models, List<String> texts, float[][] prompts, int[] prompt, int[] a, int[] b, double[] y) {
        this(models, texts, prompts, prompt, a, b, y, null, null);
    }

    private BattleSet(
            List<String> models,
            List<String> texts,
            float[][] prompts,
            int[] prompt,
            int[] a,
            int[] b,
            double[] y,
            String[] sources,
            double[] meanScores) {
        this.sources = sources;
        this.meanScores = meanScores;
        this.models = models;
        this.texts = texts;
        this.prompts = prompts;
        this.prompt = prompt;
        this.modelA = a;
        this.modelB = b;
        this.scoreA = y;
    }

    /** @param vectors the vector of each distinct prompt text */
    public static BattleSet of(List<Battle> battles, Map<String, float[]> vectors) {
        TreeSet<String> modelNames = new TreeSet<>();
        battles.forEach(b -> {
            modelNames.add(b.modelA());
            modelNames.add(b.modelB());
        });
        List<String> models = List.copyOf(modelNames);
        Map<String, Integer> modelIndex = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            modelIndex.put(models.get(i), i);
        }
        Map<String, Integer> promptIndex = new LinkedHashMap<>();
        List<float[]> promptVectors = new ArrayList<>();
        int n = battles.size();
        int[] p = new int[n];
        int[] a = new int[n];
        int[] b = new int[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            Battle battle = battles.get(i);
            p[i] = promptIndex.computeIfAbsent(battle.prompt(), text -> {
                float[] v = vectors.get(text);
                if (v == null) {
                    throw new IllegalArgumentException("no vector for a training prompt");
                }
                promptVectors.add(v);
                return promptVectors.size() - 1;
            });
            a[i] = modelIndex.get(battle.modelA());
            b[i] = modelIndex.get(battle.modelB());
            y[i] = battle.scoreA();
        }
        return new BattleSet(
                models, List.copyOf(promptIndex.keySet()), promptVectors.toArray(float[][]::new), p, a, b, y);
    }

    /**
     * The same battles with the source of each prompt (e.g. the data set it came from), for training that weighs
     * sources rather than rows.
     *
     * @param sourceOf the source of a prompt text; every prompt must have one
     */
    public BattleSet withSources(java.util.function.Function<String, String> sourceOf) {
        String[] out = new String[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sourceOf.apply(texts.get(i));
            if (out[i] == null) {
                throw new IllegalArgumentException("no source for a training prompt");
            }
        }
        return new BattleSet(models, texts, prompts, prompt, modelA, modelB, scoreA, out, meanScores);
    }

    /**
     * The same battles with the mean score over many models of the prompts that have one, for training that reads
     * how hard a prompt is.
     *
     * @param meanScoreOf the mean score of a prompt text, or null when it was not scored for many models
     */
    public BattleSet withMeanScores(java.util.function.Function<String, Double> meanScoreOf) {
        double[] out = new double[texts.size()];
        for (int i = 0; i < out.length; i++) {
            Double mean = meanScoreOf.apply(texts.get(i));
            out[i] = mean == null ? Double.NaN : mean;
        }
        return new BattleSet(models, texts, prompts, prompt, modelA, modelB, scoreA, sources, out);
    }

    /**
     * The battles on the prompts {@code keep} marks (indexed like {@link #texts}); prompts, sources and mean scores
     * stay as they are, so indices into them mean the same in both sets.
     */
    public BattleSet onPrompts(boolean[] keep) {
        int n = 0;
        for (int p : prompt) {
            n += keep[p] ? 1 : 0;
        }
        int[] p2 = new int[n];
        int[] a2 = new int[n];
        int[] b2 = new int[n];
        double[] y2 = new double[n];
        int k = 0;
        for (int i = 0; i < prompt.length; i++) {
            if (keep[prompt[i]]) {
                p2[k] = prompt[i];
                a2[k] = modelA[i];
                b2[k] = modelB[i];
                y2[k++] = scoreA[i];
            }
        }
        return new BattleSet(models, texts, prompts, p2, a2, b2, y2, sources, meanScores);
    }

    public int size() {
        return prompt.length;
    }

    public int dimension() {
        return prompts[0].length;
    }

    public int modelIndex(String model) {
        int i = models.indexOf(model);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "model '" + model + "' is not in the training battles; known: " + models);
        }
        return i;
    }

    /**
     * The strong model's score in battle {@code b} (1 win, 0.5 tie, 0 loss) if it is a battle between the models of
     * these indices, in either order; NaN for a battle of other models.
     */
    public double strongScore(int b, int strongIndex, int weakIndex) {
        if (modelA[b] == strongIndex && modelB[b] == weakIndex) {
            return scoreA[b];
        }
        if (modelA[b] == weakIndex && modelB[b] == strongIndex) {
            return 1 - scoreA[b];
        }
        return Double.NaN;
    }

    /** Battle indices grouped by prompt, for training passes that project each prompt once. */
    public int[][] battlesByPrompt() {
        int[] counts = new int[prompts.length];
        for (int p : prompt) {
            counts[p]++;
        }
        int[][] out = new int[prompts.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new int[counts[i]];
        }
        int[] fill = new int[prompts.length];
        for (int i = 0; i < prompt.length; i++) {
            out[prompt[i]][fill[prompt[i]]++] = i;
        }
        return out;
    }
}
