package io.kroute.router.train;

import io.kroute.router.onnx.OnnxGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * RouteLLM's matrix factorisation router: a model's score on a prompt is {@code v_m · (W q)}, with q the prompt
 * vector, W a text projection and v_m a learned model vector; P(a beats b) = sigmoid(score_a - score_b), trained with
 * binary cross-entropy on battles (a tie is a target of 0.5). RouteLLM writes {@code v_m = c ⊙ normalise(P_m)} with a
 * shared classifier c; here c is folded into v_m (the same bilinear function class) and weight decay replaces the
 * normalisation as a regulariser. Any two models seen in training can be routed.
 */
public final class MatrixFactorization implements TrainedHead {

    public static final String KIND = "mf";
    public static final String GRAPH = "mf.onnx";

    public record Settings(int dim, int epochs, double learningRate, double weightDecay, int batchPrompts, long seed) {
        public static Settings defaults() {
            return new Settings(64, 10, 3e-3, 1e-4, 64, 42);
        }
    }

    private final List<String> models;
    private final float[] projection; // [k, d]
    private final float[] modelVectors; // [M, k]
    private final int k;
    private final int d;
    private final Settings settings;

    private MatrixFactorization(
            List<String> models, float[] projection, float[] modelVectors, int k, int d, Settings s) {
        this.models = models;
        this.projection = projection;
        this.modelVectors = modelVectors;
        this.k = k;
        this.d = d;
        this.settings = s;
    }

    public static MatrixFactorization train(BattleSet data, Settings s, IntConsumer epochDone) {
        int k = s.dim();
        int d = data.dimension();
        int m = data.models.size();
        Random random = new Random(s.seed());
        float[] w = new float[k * d];
        float[] u = new float[m * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() / Math.sqrt(d));
        }
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) (random.nextGaussian() * 0.1);
        }
        Adam adamW = new Adam(w, s.learningRate(), s.weightDecay());
        Adam adamU = new Adam(u, s.learningRate(), s.weightDecay());
        int[][] byPrompt = data.battlesByPrompt();
        int[] order = new int[byPrompt.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] gw = new float[w.length];
        float[] gu = new float[u.length];
        float[] z = new float[k];
        float[] gz = new float[k];
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += s.batchPrompts()) {
                java.util.Arrays.fill(gw, 0);
                java.util.Arrays.fill(gu, 0);
                int end = Math.min(order.length, start + s.batchPrompts());
                int battles = 0;
                for (int t = start; t < end; t++) {
                    battles += byPrompt[order[t]].length;
                }
                float norm = 1f / Math.max(1, battles);
                for (int t = start; t < end; t++) {
                    int p = order[t];
                    float[] q = data.prompts[p];
                    project(w, q, z, k, d);
                    java.util.Arrays.fill(gz, 0);
                    for (int b : byPrompt[p]) {
                        int a = data.modelA[b] * k;
                        int c = data.modelB[b] * k;
                        double logit = 0;
                        for (int j = 0; j < k; j++) {
                            logit += (u[a + j] - u[c + j]) * z[j];
                        }
                        float g = (float) ((sigmoid(logit) - data.scoreA[b]) * norm);
                        for (int j = 0; j < k; j++) {
                            gu[a + j] += g * z[j];
                            gu[c + j] -= g * z[j];
                            gz[j] += g * (u[a + j] - u[c + j]);
                        }
                    }
                    for (int j = 0; j < k; j++) {
                        float gj = gz[j];
                        int row = j * d;
                        for (int i = 0; i < d; i++) {
                            gw[row + i] += gj * q[i];
                        }
                    }
                }
                adamW.apply(gw);
                adamU.apply(gu);
            }
            epochDone.accept(epoch + 1);
        }
        return new MatrixFactorization(data.models, w, u, k, d, s);
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
        int s = indexOf(strong) * k;
        int w = indexOf(weak) * k;
        double[] out = new double[vectors.length];
        float[] z = new float[k];
        for (int n = 0; n < vectors.length; n++) {
            project(projection, vectors[n], z, k, d);
            double logit = 0;
            for (int j = 0; j < k; j++) {
                logit += (modelVectors[s + j] - modelVectors[w + j]) * z[j];
            }
            out[n] = sigmoid(logit);
        }
        return out;
    }

    /**
     * Each model's logit {@code v_m · (W q)} for each prompt, [prompt][model] in {@link #models()} order: the model's
     * strength on the prompt in Bradley-Terry units, what a performance predictor built on MF reads.
     */
    public double[][] logits(float[][] vectors) {
        int m = models.size();
        double[][] out = new double[vectors.length][m];
        float[] z = new float[k];
        for (int n = 0; n < vectors.length; n++) {
            project(projection, vectors[n], z, k, d);
            for (int model = 0; model < m; model++) {
                double logit = 0;
                for (int j = 0; j < k; j++) {
                    logit += modelVectors[model * k + j] * z[j];
                }
                out[n][model] = logit;
            }
        }
        return out;
    }

    @Override
    public String save(Path directory) throws IOException {
        Files.write(
                directory.resolve(GRAPH),
                OnnxGraphs.matrixFactorization(unflatten(projection, k, d), unflatten(modelVectors, models.size(), k)));
        return GRAPH;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("dim", settings.dim());
        h.put("epochs", settings.epochs());
        h.put("learning_rate", settings.learningRate());
        h.put("weight_decay", settings.weightDecay());
        h.put("batch_prompts", settings.batchPrompts());
        h.put("seed", settings.seed());
        return h;
    }

    private int indexOf(String model) {
        int i = models.indexOf(model);
        if (i < 0) {
            throw new IllegalArgumentException("model '" + model + "' was not in training; known: " + models);
        }
        return i;
    }

    private static void project(float[] w, float[] q, float[] z, int k, int d) {
        for (int j = 0; j < k; j++) {
            float sum = 0;
            int row = j * d;
            for (int i = 0; i < d; i++) {
                sum += w[row + i] * q[i];
            }
            z[j] = sum;
        }
    }

    static float[][] unflatten(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
