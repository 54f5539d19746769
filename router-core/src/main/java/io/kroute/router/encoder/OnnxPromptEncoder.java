package io.kroute.router.encoder;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A sentence encoder run with ONNX Runtime: a HuggingFace {@code tokenizer.json}, a transformer graph that outputs
 * token states, then mean pooling over the attention mask and L2 normalisation (what sentence-transformers does for
 * all-MiniLM-L6-v2). Batches are sorted by length so that little padding is computed.
 */
public final class OnnxPromptEncoder implements PromptEncoder {

    /** The int8 all-MiniLM-L6-v2 shipped inside langchain4j's jar, at the jar root. */
    public static final String MINILM_MODEL_RESOURCE = BundledModel.MINILM.modelResource();

    public static final String MINILM_TOKENIZER_RESOURCE = BundledModel.MINILM.tokenizerResource();

    /** all-MiniLM-L6-v2 was trained on sequences of at most 256 word pieces; longer input only costs time. */
    public static final int DEFAULT_MAX_TOKENS = BundledModel.MINILM.maxTokens();

    /**
     * The int8 graph quantises activations with one scale per tensor, so a prompt's vector moves slightly (about 1e-3
     * per component) with the other prompts of its batch. Batch size 1 makes a vector a function of its text alone:
     * what the router needs, so that a record processed twice is routed the same way. Training and evaluation batch.
     */
    public static final int EXACT = 1;

    public static final int FAST = 32;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final String id;
    private final int dimension;
    private final boolean needsTokenTypes;
    private final int batchSize;
    private final String modelSha;

    private OnnxPromptEncoder(
            byte[] model, InputStream tokenizerJson, String name, int maxTokens, int threads, int batchSize)
            throws IOException {
        this.batchSize = batchSize;
        try {
            this.env = io.kroute.router.onnx.OnnxEnvironment.get();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(model, options);
            this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the encoder graph " + name, e);
        }
        Map<String, String> tokenizerOptions = new HashMap<>();
        tokenizerOptions.put("maxLength", Integer.toString(maxTokens));
        tokenizerOptions.put("truncation", "true");
        tokenizerOptions.put("padding", "false");
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, tokenizerOptions);
        this.modelSha = sha256Prefix(model);
        this.id = name + "@" + modelSha + "/max" + maxTokens + "/mean-l2";
        this.dimension = encodeBatch(List.of("dimension probe"))[0].length;
    }

    /** The bundled all-MiniLM-L6-v2 (int8), using every available core. */
    public static OnnxPromptEncoder miniLm() {
        return miniLm(Runtime.getRuntime().availableProcessors());
    }

    public static OnnxPromptEncoder miniLm(int threads) {
        return miniLm(threads, EXACT);
    }

    public static OnnxPromptEncoder miniLm(int threads, int batchSize) {
        return bundled(BundledModel.MINILM, threads, batchSize);
    }

    /**
     * A bundled model, mean pooled like MiniLM (bge-small was trained with its [CLS] state instead; its static table
     * is distilled with mean pooling, so both ids say {@code mean}).
     */
    public static OnnxPromptEncoder bundled(BundledModel bundled, int threads, int batchSize) {
        try (InputStream model = resource(bundled.modelResource());
                InputStream tokenizer = resource(bundled.tokenizerResource())) {
            return new OnnxPromptEncoder(
                    model.readAllBytes(), tokenizer, bundled.modelName(), bundled.maxTokens(), threads, batchSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another encoder: an ONNX graph with {@code input_ids} and {@code attention_mask} inputs and its tokenizer. */
    public static OnnxPromptEncoder fromFiles(
            Path model, Path tokenizerJson, int maxTokens, int threads, int batchSize) {
        try (InputStream tokenizer = Files.newInputStream(tokenizerJson)) {
            String name = model.getFileName().toString().replaceFirst("\\.onnx$", "");
            return new OnnxPromptEncoder(Files.readAllBytes(model), tokenizer, name, maxTokens, threads, batchSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] encode(List<String> prompts) {
        float[][] out = new float[prompts.size()][];
        Integer[] order = IntStream.range(0, prompts.size()).boxed().toArray(Integer[]::new);
        // Length in chars is a cheap proxy of length in tokens: batching similar lengths saves padding.
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> prompts.get(i).length()));
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<String> batch = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                batch.add(prompts.get(order[k]));
            }
            float[][] vectors = encodeBatch(batch);
            for (int k = start; k < end; k++) {
                out[order[k]] = vectors[k - start];
            }
        }
        return out;
    }

    /**
     * The mean of the token states of one sequence of token ids, given as is (no tokenizer, no special tokens added)
     * and not normalised: what {@link StaticTokenEncoder} distils one vocabulary token into. Batch size 1.
     */
    float[] encodeIds(long[] tokenIds) {
        long[] mask = new long[tokenIds.length];
        java.util.Arrays.fill(mask, 1L);
        return run(new long[][] {tokenIds}, new long[][] {mask})[0];
    }

    /** SHA-256 prefix of the graph, part of {@link #id()}. */
    String modelSha() {
        return modelSha;
    }

    private float[][] encodeBatch(List<String> batch) {
        Encoding[] encodings = tokenizer.batchEncode(batch);
        long[][] ids = new long[encodings.length][];
        long[][] masks = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
            masks[i] = encodings[i].getAttentionMask();
        }
        float[][] pooled = run(ids, masks);
        for (float[] v : pooled) {
            normalise(v);
        }
        return pooled;
    }

    /** Runs one padded batch and mean-pools each row's states over its attention mask. */
    private float[][] run(long[][] tokenIds, long[][] attention) {
        int n = tokenIds.length;
        int width = 1;
        for (long[] row : tokenIds) {
            width = Math.max(width, row.length);
        }
        long[] ids = new long[n * width];
        long[] mask = new long[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(tokenIds[i], 0, ids, i * width, tokenIds[i].length);
            System.arraycopy(attention[i], 0, mask, i * width, attention[i].length);
        }
        long[] shape = {n, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (needsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * width]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] states = (float[][][]) result.get(0).getValue();
                return meanPool(states, mask, width);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("encoder failed on a batch of " + n, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] meanPool(float[][][] states, long[] mask, int width) {
        float[][] out = new float[states.length][];
        for (int i = 0; i < states.length; i++) {
            int dim = states[i][0].length;
            float[] sum = new float[dim];
            int count = 0;
            for (int t = 0; t < states[i].length; t++) {
                if (mask[i * width + t] == 0) {
                    continue;
                }
                count++;
                float[] state = states[i][t];
                for (int d = 0; d < dim; d++) {
                    sum[d] += state[d];
                }
            }
            for (int d = 0; d < dim; d++) {
                sum[d] /= Math.max(1, count);
            }
            out[i] = sum;
        }
        return out;
    }

    /** Scales to unit length in place (a zero vector stays zero). */
    static void normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = (float) (1.0 / Math.max(1e-12, Math.sqrt(norm)));
        for (int d = 0; d < v.length; d++) {
            v[d] *= scale;
        }
    }

    static InputStream resource(String name) {
        InputStream in = OnnxPromptEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("resource " + name + " is not on the classpath (the langchain4j-embeddings "
                    + "artifacts all-minilm-l6-v2-q and bge-small-en-v15-q provide the bundled models)");
        }
        return in;
    }

    static String sha256Prefix(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }
}
