package io.kroute.router.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.kroute.router.encoder.StaticTokenEncoder;
import io.kroute.router.text.ChoiceFeatures;
import io.kroute.router.text.SurfaceFeatures;
import io.kroute.router.text.WordNgrams;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a head graph that reads the prompt's text as well as its vector: hashed word n-grams ({@code ngram_ids},
 * {@code ngram_tf}), surface features ({@code features}), multiple-choice features ({@code choice_features}, over
 * the static encoder's vectors) and the {@code embedding}. The features are computed here,
 * by the versions the router was trained with; only the inputs the graph declares are fed. Thread-safe.
 */
public final class PromptFeatureHead implements AutoCloseable {

    private final OrtEnvironment env = OnnxEnvironment.get();
    private final OrtSession session;
    private final WordNgrams ngrams;
    private final Set<String> inputs;
    private final ChoiceFeatures choices;

    public PromptFeatureHead(byte[] graph, WordNgrams ngrams) {
        this.session = OnnxSessions.open(graph, 1);
        this.ngrams = ngrams;
        this.inputs = session.getInputNames();
        this.choices =
                inputs.contains(OnnxGraphs.CHOICE_FEATURES) ? new ChoiceFeatures(StaticTokenEncoder.shared()) : null;
    }

    /** One score per prompt; {@code vectors[i]} is prompt i's vector from the router's encoder. */
    public double[] score(List<String> prompts, float[][] vectors) {
        int n = prompts.size();
        if (n == 0) {
            return new double[0];
        }
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            if (inputs.contains(OnnxGraphs.NGRAM_IDS)) {
                WordNgrams.Counts[] counts = new WordNgrams.Counts[n];
                int width = 1;
                for (int i = 0; i < n; i++) {
                    counts[i] = ngrams.count(prompts.get(i));
                    width = Math.max(width, counts[i].size());
                }
                long[] ids = new long[n * width];
                float[] tf = new float[n * width];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < counts[i].size(); k++) {
                        ids[i * width + k] = counts[i].buckets()[k];
                        tf[i * width + k] = counts[i].tf()[k];
                    }
                }
                long[] shape = {n, width};
                feed.put(OnnxGraphs.NGRAM_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                feed.put(OnnxGraphs.NGRAM_TF, OnnxTensor.createTensor(env, FloatBuffer.wrap(tf), shape));
            }
            if (inputs.contains(OnnxGraphs.FEATURES)) {
                float[][] rows = new float[n][];
                for (int i = 0; i < n; i++) {
                    rows[i] = SurfaceFeatures.of(prompts.get(i));
                }
                feed.put(OnnxGraphs.FEATURES, matrix(rows, SurfaceFeatures.COUNT));
            }
            if (choices != null) {
                feed.put(OnnxGraphs.CHOICE_FEATURES, matrix(choices.of(prompts), ChoiceFeatures.COUNT));
            }
            if (inputs.contains(OnnxGraphs.INPUT)) {
                int d = vectors[0].length;
                FloatBuffer flat = FloatBuffer.allocate(n * d);
                for (float[] v : vectors) {
                    flat.put(v);
                }
                flat.flip();
                feed.put(OnnxGraphs.INPUT, OnnxTensor.createTensor(env, flat, new long[] {n, d}));
            }
            try (OrtSession.Result result = session.run(feed)) {
                float[][] scores = (float[][]) result.get(0).getValue();
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = scores[i][0];
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("head graph failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor matrix(float[][] rows, int width) throws OrtException {
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {rows.length, width});
    }

    @Override
    public void close() {
        OnnxSessions.close(session);
    }
}
