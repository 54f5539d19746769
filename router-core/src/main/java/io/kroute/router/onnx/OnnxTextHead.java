package io.kroute.router.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's graph over token ids (a fine-tuned BERT or causal-LM classifier exported elsewhere), run one prompt at a
 * time so that a score depends on its text only: inputs {@code input_ids}, {@code attention_mask} and, if the graph
 * has it, {@code token_type_ids}; the named output is the win probability, [N] or [N, 1].
 */
public final class OnnxTextHead implements AutoCloseable {

    private static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

    private final OrtEnvironment env = OnnxEnvironment.get();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final String output;

    public OnnxTextHead(byte[] graph, InputStream tokenizerJson, int maxTokens, String output) {
        this.session = OnnxSessions.open(graph, 0);
        if (!KNOWN_INPUTS.containsAll(session.getInputNames())
                || !session.getInputNames().contains("input_ids")) {
            throw new IllegalArgumentException(
                    "a token graph takes input_ids, attention_mask (and token_type_ids), this one takes "
                            + session.getInputNames());
        }
        this.output =
                output != null ? output : session.getOutputNames().iterator().next();
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of("maxLength", Integer.toString(maxTokens), "truncation", "true", "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public double[] score(List<String> prompts) {
        double[] out = new double[prompts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scoreOne(prompts.get(i));
        }
        return out;
    }

    private double scoreOne(String prompt) {
        Encoding encoding = tokenizer.encode(prompt);
        long[] shape = {1, encoding.getIds().length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            Map<String, long[]> values = Map.of(
                    "input_ids",
                    encoding.getIds(),
                    "attention_mask",
                    encoding.getAttentionMask(),
                    "token_type_ids",
                    encoding.getTypeIds());
            for (String name : session.getInputNames()) {
                inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values.get(name)), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                Object value = result.get(0).getValue();
                if (value instanceof float[][] m) {
                    return m[0][0];
                }
                if (value instanceof float[] v) {
                    return v[0];
                }
                throw new IllegalStateException("output must be float [N] or [N, 1], got " + value.getClass());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("token graph failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        OnnxSessions.close(session);
        tokenizer.close();
    }
}
