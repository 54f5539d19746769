package io.kroute.router.train;

import io.kroute.router.onnx.OnnxGraphs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The analog of RouteLLM's BERT classifier on a frozen encoder: a one-hidden-layer network over the prompt vector
 * that predicts strong wins / tie / weak wins for one (strong, weak) pair, trained with soft cross-entropy on that
 * pair's battles. The score is P(strong wins) + P(tie) / 2.
 */
public final class Classifier implements TrainedHead {

    public static final String KIND = "classifier";
    public static final String GRAPH = "classifier.onnx";

    public record Settings(int hidden, int epochs, double learningRate, double weightDecay, int batch, long seed) {
        public static Settings defaults() {
            return new Settings(64, 8, 1e-3, 1e-3, 64, 42);
        }
    }

    private final String strong;
    private final String weak;
    private final int h;
    private final int d;
    private final float[] w1; // [h, d]
    private final float[] b1;
    private final float[] w2; // [3, h]
    private final float[] b2;
    private final Settings settings;
    private final int members;

    private Classifier(
            String strong,
            String weak,
            int h,
            int d,
            float[] w1,
            float[] b1,
            float[] w2,
            float[] b2,
            Settings s,
            int members) {
        this.strong = strong;
        this.weak = weak;
        this.h = h;
        this.d = d;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.settings = s;
        this.members = members;
    }

    /**
     * Trains {@code members} networks from different seeds and averages their logits, which is itself one network
     * with {@code members * hidden} hidden units (second layer scaled by 1 / members): bagging without a new graph.
     */
    public static Classifier trainEnsemble(
            BattleSet data, String strong, String weak, Settings s, int members, IntConsumer epochDone) {
        if (members <= 1) {
            return train(data, strong, weak, s, epochDone);
        }
        List<Classifier> nets = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            Settings seeded = new Settings(
                    s.hidden(), s.epochs(), s.learningRate(), s.weightDecay(), s.batch(), s.seed() * 1000 + m);
            nets.add(train(data, strong, weak, seeded, epochDone));
        }
        int h = s.hidden();
        int d = data.dimension();
        int wide = h * members;
        float[] w1 = new float[wide * d];
        float[] b1 = new float[wide];
        float[] w2 = new float[3 * wide];
        float[] b2 = new float[3];
        for (int m = 0; m < members; m++) {
            Classifier net = nets.get(m);
            System.arraycopy(net.w1, 0, w1, m * h * d, h * d);
            System.arraycopy(net.b1, 0, b1, m * h, h);
            for (int c = 0; c < 3; c++) {
                for (int j = 0; j < h; j++) {
                    w2[c * wide + m * h + j] = net.w2[c * h + j] / members;
                }
                b2[c] += net.b2[c] / members;
            }
        }
        Settings recorded = new Settings(wide, s.epochs(), s.learningRate(), s.weightDecay(), s.batch(), s.seed());
        return new Classifier(strong, weak, wide, d, w1, b1, w2, b2, recorded, members);
    }

    public static Classifier train(BattleSet data, String strong, String weak, Settings s, IntConsumer epochDone) {
        int si = data.modelIndex(strong);
        int wi = data.modelIndex(weak);
        double[][] targetSum = new double[data.prompts.length][3];
        int[] count = new int[data.prompts.length];
        for (int b = 0; b < data.size(); b++) {
            double strongScore = data.strongScore(b, si, wi);
            if (Double.isNaN(strongScore)) {
                continue;
            }
            int p = data.prompt[b];
            targetSum[p][strongScore == 1 ? 0 : strongScore == 0 ? 2 : 1] += 1;
            count[p]++;
        }
        List<Integer> examples = new ArrayList<>();
        for (int p = 0; p < count.length; p++) {
            if (count[p] > 0) {
                examples.add(p);
                for (int c = 0; c < 3; c++) {
                    targetSum[p][c] /= count[p];
                }
            }
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(
                    "no battle between " + strong + " and " + weak + " in the training data");
        }
        int d = data.dimension();
        int h = s.hidden();
        Random random = new Random(s.seed());
        float[] w1 = new float[h * d];
        float[] b1 = new float[h];
        float[] w2 = new float[3 * h];
        float[] b2 = new float[3];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (random.nextGaussian() * Math.sqrt(2.0 / d));
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (random.nextGaussian() * Math.sqrt(1.0 / h));
        }
        Adam[] adams = {
            new Adam(w1, s.learningRate(), s.weightDecay()),
            new Adam(b1, s.learningRate(), 0),
            new Adam(w2, s.learningRate(), s.weightDecay()),
            new Adam(b2, s.learningRate(), 0)
        };
        float[][] grads = {new float[w1.length], new float[h], new float[w2.length], new float[3]};
        int[] order = examples.stream().mapToInt(Integer::intValue).toArray();
        float[] hidden = new float[h];
        float[] gh = new float[h];
        double[] p = new double[3];
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            MatrixFactorization.shuffle(order, random);
            for (int start = 0; start < order.length; start += s.batch()) {
                int end = Math.min(order.length, start + s.batch());
                for (float[] g : grads) {
                    java.util.Arrays.fill(g, 0);
                }
                float norm = 1f / (end - start);
                for (int t = start; t < end; t++) {
                    float[] q = data.prompts[order[t]];
                    forward(w1, b1, w2, b2, h, d, q, hidden, p);
                    double[] target = targetSum[order[t]];
                    java.util.Arrays.fill(gh, 0);
                    for (int c = 0; c < 3; c++) {
                        float gl = (float) ((p[c] - target[c]) * norm);
                        grads[3][c] += gl;
                        for (int j = 0; j < h; j++) {
                            grads[2][c * h + j] += gl * hidden[j];
                            gh[j] += gl * w2[c * h + j];
                        }
                    }
                    for (int j = 0; j < h; j++) {
                        if (hidden[j] <= 0) {
                            continue;
                        }
                        float g = gh[j];
                        grads[1][j] += g;
                        int row = j * d;
                        for (int i = 0; i < d; i++) {
                            grads[0][row + i] += g * q[i];
                        }
                    }
                }
                for (int i = 0; i < adams.length; i++) {
                    adams[i].apply(grads[i]);
                }
            }
            epochDone.accept(epoch + 1);
        }
        return new Classifier(strong, weak, h, d, w1, b1, w2, b2, s, 1);
    }

    private static void forward(
            float[] w1, float[] b1, float[] w2, float[] b2, int h, int d, float[] q, float[] hidden, double[] p) {
        for (int j = 0; j < h; j++) {
            float sum = b1[j];
            int row = j * d;
            for (int i = 0; i < d; i++) {
                sum += w1[row + i] * q[i];
            }
            hidden[j] = Math.max(0, sum);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            double sum = b2[c];
            for (int j = 0; j < h; j++) {
                sum += w2[c * h + j] * hidden[j];
            }
            p[c] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int c = 0; c < 3; c++) {
            p[c] = Math.exp(p[c] - max);
            total += p[c];
        }
        for (int c = 0; c < 3; c++) {
            p[c] /= total;
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> models() {
        return List.of(strong, weak);
    }

    @Override
    public double[] score(List<String> prompts, float[][] vectors, String strong, String weak) {
        if (!this.strong.equals(strong) || !this.weak.equals(weak)) {
            throw new IllegalArgumentException("this classifier routes " + this.strong + " vs " + this.weak + " only");
        }
        double[] out = new double[vectors.length];
        float[] hidden = new float[h];
        double[] p = new double[3];
        for (int n = 0; n < vectors.length; n++) {
            forward(w1, b1, w2, b2, h, d, vectors[n], hidden, p);
            out[n] = p[0] + 0.5 * p[1];
        }
        return out;
    }

    @Override
    public String save(Path directory) throws IOException {
        Files.write(
                directory.resolve(GRAPH),
                OnnxGraphs.classifier(
                        MatrixFactorization.unflatten(w1, h, d), b1, MatrixFactorization.unflatten(w2, 3, h), b2));
        return GRAPH;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", settings.hidden());
        m.put("ensemble", members);
        m.put("epochs", settings.epochs());
        m.put("learning_rate", settings.learningRate());
        m.put("weight_decay", settings.weightDecay());
        m.put("batch", settings.batch());
        m.put("seed", settings.seed());
        return m;
    }
}
