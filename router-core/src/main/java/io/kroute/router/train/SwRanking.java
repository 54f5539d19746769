package io.kroute.router.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * RouteLLM's similarity-weighted ranking: for a prompt, every training battle is weighted by how similar its prompt
 * is ({@code 10 * 10^(sharpness * sim / max_sim)}), a Bradley-Terry model with ties is fitted on the weighted
 * battles, and the score is the fitted P(strong beats weak). Nothing is learned ahead of time, so the "model" is the
 * training prompts' vectors and battles ({@value #FILE}, a compact binary file).
 *
 * <p>RouteLLM's weighting is sharpness {@value #ROUTELLM_SHARPNESS}, used there with OpenAI's embeddings. Over the
 * local encoders the weights then span only a factor of 10 between the nearest and an unrelated prompt, so the score
 * stays close to the global win rate; {@value #DEFAULT_SHARPNESS} lifted 5-fold CV APGR on MMLU and GSM8K with both
 * encoders tried (docs/routers.md). {@code --set sharpness=1} gives RouteLLM's weighting.
 */
public final class SwRanking implements TrainedHead {

    public static final String KIND = "sw-ranking";
    public static final String FILE = "sw-ranking.bin";
    public static final double ROUTELLM_SHARPNESS = 1.0;
    public static final double DEFAULT_SHARPNESS = 5.0;
    private static final int MAGIC = 0x4b525357; // "KRSW"
    private static final int ITERATIONS = 50;

    private final List<String> models;
    private final float[][] prompts;
    private final int[][] battlesByPrompt;
    private final int[] modelA;
    private final int[] modelB;
    private final float[] scoreA;
    private final double sharpness;
    private final double prior;

    private SwRanking(
            List<String> models,
            float[][] prompts,
            int[] promptOf,
            int[] a,
            int[] b,
            float[] y,
            double sharpness,
            double prior) {
        this.models = models;
        this.prompts = prompts;
        this.modelA = a;
        this.modelB = b;
        this.scoreA = y;
        this.sharpness = sharpness;
        this.prior = prior;
        int[] counts = new int[prompts.length];
        for (int p : promptOf) {
            counts[p]++;
        }
        this.battlesByPrompt = new int[prompts.length][];
        for (int i = 0; i < prompts.length; i++) {
            battlesByPrompt[i] = new int[counts[i]];
        }
        int[] fill = new int[prompts.length];
        for (int i = 0; i < promptOf.length; i++) {
            battlesByPrompt[promptOf[i]][fill[promptOf[i]]++] = i;
        }
    }

    /**
     * @param sharpness {@link #ROUTELLM_SHARPNESS} reproduces RouteLLM's weighting; larger values trust the nearest
     *     prompts more
     */
    public static SwRanking train(BattleSet data, double sharpness) {
        float[] y = new float[data.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) data.scoreA[i];
        }
        return new SwRanking(data.models, data.prompts, data.prompt, data.modelA, data.modelB, y, sharpness, 1.0);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> models() {
        return models;
    }

    @Override
    public double[] score(List<String> prompts, float[][] vectors, String strong, String weak) {
        int s = index(strong);
        int w = index(weak);
        return IntStream.range(0, vectors.length)
                .parallel()
                .mapToDouble(n -> scoreOne(vectors[n], s, w))
                .toArray();
    }

    private double scoreOne(float[] q, int s, int w) {
        int m = models.size();
        double[] sims = new double[prompts.length];
        double max = 1e-6;
        for (int p = 0; p < prompts.length; p++) {
            float[] v = prompts[p];
            double dot = 0;
            for (int i = 0; i < q.length; i++) {
                dot += v[i] * q[i];
            }
            sims[p] = dot;
            max = Math.max(max, dot);
        }
        double[][] wins = new double[m][m];
        for (int p = 0; p < prompts.length; p++) {
            // Weights span 10 (unrelated) to 10^(1 + sharpness) (the nearest prompt): RouteLLM's get_weightings.
            double weight = Math.pow(10, 1 + sharpness * sims[p] / max);
            for (int b : battlesByPrompt[p]) {
                wins[modelA[b]][modelB[b]] += weight * scoreA[b];
                wins[modelB[b]][modelA[b]] += weight * (1 - scoreA[b]);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j && (wins[i][j] > 0 || wins[j][i] > 0)) {
                    wins[i][j] += prior; // a virtual tie per pair keeps strengths finite
                }
            }
        }
        double[] strength = bradleyTerry(wins);
        return strength[s] / (strength[s] + strength[w]);
    }

    /** Hunter's MM algorithm for Bradley-Terry; ties were already split into half wins. */
    static double[] bradleyTerry(double[][] wins) {
        int m = wins.length;
        double[] pi = new double[m];
        java.util.Arrays.fill(pi, 1.0);
        double[] next = new double[m];
        for (int it = 0; it < ITERATIONS; it++) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                double won = 0;
                double denom = 0;
                for (int j = 0; j < m; j++) {
                    if (i == j) {
                        continue;
                    }
                    double games = wins[i][j] + wins[j][i];
                    if (games > 0) {
                        won += wins[i][j];
                        denom += games / (pi[i] + pi[j]);
                    }
                }
                next[i] = denom > 0 ? Math.max(won, 1e-9) / denom : pi[i];
                total += next[i];
            }
            for (int i = 0; i < m; i++) {
                pi[i] = next[i] * m / total;
            }
        }
        return pi;
    }

    private int index(String model) {
        int i = models.indexOf(model);
        if (i < 0) {
            throw new IllegalArgumentException("model '" + model + "' was not in training; known: " + models);
        }
        return i;
    }

    @Override
    public String save(Path directory) throws IOException {
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(directory.resolve(FILE)), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(prompts.length);
            out.writeInt(prompts[0].length);
            out.writeDouble(sharpness);
            out.writeDouble(prior);
            for (float[] v : prompts) {
                for (float x : v) {
                    out.writeFloat(x);
                }
            }
            out.writeInt(modelA.length);
            for (int p = 0; p < battlesByPrompt.length; p++) {
                for (int b : battlesByPrompt[p]) {
                    out.writeInt(p);
                    out.writeShort(modelA[b]);
                    out.writeShort(modelB[b]);
                    out.writeFloat(scoreA[b]);
                }
            }
        }
        return FILE;
    }

    public static SwRanking load(java.io.InputStream file, List<String> models) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not an sw-ranking file");
            }
            int n = in.readInt();
            int d = in.readInt();
            double sharpness = in.readDouble();
            double prior = in.readDouble();
            float[][] prompts = new float[n][d];
            for (float[] v : prompts) {
                for (int i = 0; i < d; i++) {
                    v[i] = in.readFloat();
                }
            }
            int battles = in.readInt();
            int[] p = new int[battles];
            int[] a = new int[battles];
            int[] b = new int[battles];
            float[] y = new float[battles];
            for (int i = 0; i < battles; i++) {
                p[i] = in.readInt();
                a[i] = in.readShort();
                b[i] = in.readShort();
                y[i] = in.readFloat();
            }
            return new SwRanking(models, prompts, p, a, b, y, sharpness, prior);
        }
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("sharpness", sharpness);
        h.put("prior_tie_weight", prior);
        h.put("bt_iterations", ITERATIONS);
        return h;
    }
}
