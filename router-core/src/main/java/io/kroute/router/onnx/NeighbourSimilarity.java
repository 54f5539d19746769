package io.kroute.router.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * How close the training prompts are to each other: for each, the mean cosine similarity of its nearest other
 * training prompts. A router compares a new prompt's similarity to its neighbours with theirs to tell whether the
 * prompt is as familiar as its neighbours are (see {@link OnnxGraphs.Familiarity}).
 */
public final class NeighbourSimilarity {

    private static final int BATCH = 256;

    private NeighbourSimilarity() {}

    /**
     * @param vectors unit vectors, as the router stores them (int8 with one scale per row, {@link
     *     OnnxGraphs#int8RoundTrip})
     * @return per vector, the mean similarity of its {@code k} most similar other vectors
     */
    public static float[] typical(float[][] vectors, int k) {
        int n = vectors.length;
        int d = vectors[0].length;
        int kk = Math.min(k, n - 1);
        float[] out = new float[n];
        OrtEnvironment env = OnnxEnvironment.get();
        OrtSession session = OnnxSessions.open(OnnxGraphs.topSimilarities(vectors, kk + 1), 0);
        try {
            for (int from = 0; from < n; from += BATCH) {
                int rows = Math.min(BATCH, n - from);
                FloatBuffer flat = FloatBuffer.allocate(rows * d);
                for (int r = 0; r < rows; r++) {
                    flat.put(vectors[from + r]);
                }
                flat.flip();
                try (OnnxTensor input = OnnxTensor.createTensor(env, flat, new long[] {rows, d});
                        OrtSession.Result result = session.run(Map.of(OnnxGraphs.INPUT, input))) {
                    float[][] top = (float[][]) result.get(0).getValue();
                    for (int r = 0; r < rows; r++) {
                        double sum = 0;
                        // the first is the vector itself
                        for (int j = 1; j <= kk; j++) {
                            sum += top[r][j];
                        }
                        out[from + r] = (float) (sum / Math.max(1, kk));
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("similarity graph failed: " + e.getMessage(), e);
        } finally {
            OnnxSessions.close(session);
        }
        return out;
    }
}
