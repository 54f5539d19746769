package io.kroute.router.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs a head graph (embedding [N, d] in, one [N, K] float output) with ONNX Runtime. Thread-safe. */
public final class OnnxHead implements AutoCloseable {

    private final OrtEnvironment env = OnnxEnvironment.get();
    private final OrtSession session;
    private final String input;
    private final String output;

    public OnnxHead(byte[] graph, String output) {
        this.session = OnnxSessions.open(graph, 1);
        if (session.getInputNames().size() != 1) {
            throw new IllegalArgumentException(
                    "a head graph takes one input (the prompt vector), this one takes " + session.getInputNames());
        }
        this.input = session.getInputNames().iterator().next();
        this.output =
                output != null ? output : session.getOutputNames().iterator().next();
        if (!session.getOutputNames().contains(this.output)) {
            throw new IllegalArgumentException(
                    "graph has no output '" + output + "', it has " + session.getOutputNames());
        }
    }

    /** Rows of the output for each row of input. */
    public float[][] run(float[][] embeddings) {
        int n = embeddings.length;
        int d = embeddings[0].length;
        FloatBuffer flat = FloatBuffer.allocate(n * d);
        for (float[] e : embeddings) {
            flat.put(e);
        }
        flat.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, flat, new long[] {n, d});
                OrtSession.Result result = session.run(Map.of(input, tensor), java.util.Set.of(output))) {
            Object value = result.get(0).getValue();
            if (value instanceof float[][] matrix) {
                return matrix;
            }
            if (value instanceof float[] vector) {
                float[][] out = new float[vector.length][];
                for (int i = 0; i < vector.length; i++) {
                    out[i] = new float[] {vector[i]};
                }
                return out;
            }
            throw new IllegalStateException("head output must be float [N] or [N, K], got " + value.getClass());
        } catch (OrtException e) {
            throw new IllegalStateException("head graph failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        OnnxSessions.close(session);
    }
}
