package io.kroute.router.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes the router heads as ONNX graphs with the ONNX protobuf classes of tribuo-util-onnx. Every head takes
 * {@code embedding} [N, d] float and ends in one named output; ONNX Runtime runs them at serving time.
 */
public final class OnnxGraphs {

    public static final String INPUT = "embedding";
    private static final int OPSET = 13;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int counter;

    private OnnxGraphs(String name, Integer inputDim) {
        graph.setName(name);
        if (inputDim != null) {
            graph.addInput(valueInfo(INPUT, "N", inputDim));
        }
    }

    /** MF: logits [N, M] = (embedding · Wᵀ) · Uᵀ, one column per model; the router takes sigmoid(col_s - col_w). */
    public static byte[] matrixFactorization(float[][] projection, float[][] modelVectors) {
        int k = projection.length;
        int d = projection[0].length;
        OnnxGraphs g = new OnnxGraphs("kroute-mf", d);
        String projected = g.matMul(INPUT, g.initializer("text_projection_t", transpose(projection)));
        String logits = g.node(
                "MatMul", List.of(projected, g.initializer("model_vectors_t", transpose(modelVectors))), "logits");
        g.output(logits, modelVectors.length);
        assert k == modelVectors[0].length;
        return g.build();
    }

    /**
     * A performance predictor's heads: {@code quality} [N, M] = embedding · Wᵀ + b, one column per model (weights
     * [M, d]).
     */
    public static byte[] linearHeads(float[][] weights, float[] bias, String output) {
        OnnxGraphs g = new OnnxGraphs("kroute-quality", weights[0].length);
        String q = g.node(
                "Add",
                List.of(
                        g.matMul(INPUT, g.initializer("head_weights_t", transpose(weights))),
                        g.initializer("head_bias", bias)),
                output);
        g.output(q, weights.length);
        return g.build();
    }

    /**
     * Classifier: a one-hidden-layer ReLU network with a 3-way softmax (strong wins, tie, weak wins); the output
     * {@code score} [N, 1] = P(strong wins) + P(tie) / 2, which orders prompts like the expected quality gain.
     */
    public static byte[] classifier(float[][] w1, float[] b1, float[][] w2, float[] b2) {
        OnnxGraphs g = new OnnxGraphs("kroute-classifier", w1[0].length);
        String hidden = g.node(
                "Relu",
                List.of(g.add(g.matMul(INPUT, g.initializer("w1_t", transpose(w1))), g.initializer("b1", b1))),
                null);
        String logits = g.add(g.matMul(hidden, g.initializer("w2_t", transpose(w2))), g.initializer("b2", b2));
        OnnxMl.NodeProto.Builder softmax = OnnxMl.NodeProto.newBuilder()
                .setOpType("Softmax")
                .addInput(logits)
                .addOutput("probabilities")
                .setName("softmax")
                .addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("axis")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)
                        .setI(1));
        g.graph.addNode(softmax);
        String score = g.node(
                "MatMul",
                List.of("probabilities", g.initializer("win_weights", new float[][] {{1f}, {0.5f}, {0f}})),
                "score");
        g.output(score, 1);
        return g.build();
    }

    /** A logistic regression, the smallest "bring your own" graph: {@code probability} [N, 1]. Used in tests and docs. */
    public static byte[] logisticRegression(float[] weights, float bias) {
        OnnxGraphs g = new OnnxGraphs("kroute-logistic", weights.length);
        float[][] column = new float[weights.length][1];
        for (int i = 0; i < weights.length; i++) {
            column[i][0] = weights[i];
        }
        String logit = g.add(g.matMul(INPUT, g.initializer("w", column)), g.initializer("b", new float[] {bias}));
        String p = g.node("Sigmoid", List.of(logit), "probability");
        g.output(p, 1);
        return g.build();
    }

    /**
     * The smallest graph over tokens: sigmoid(weight * number of attended tokens + bias), inputs {@code input_ids}
     * and {@code attention_mask} (int64 [N, T]), output {@code probability} [N, 1]. Stands in for a fine-tuned
     * classifier in tests and docs.
     */
    public static byte[] tokenCountLogistic(float weight, float bias) {
        OnnxGraphs g = new OnnxGraphs("kroute-token-count", null);
        g.graph.addInput(intValueInfo("input_ids"));
        g.graph.addInput(intValueInfo("attention_mask"));
        OnnxMl.NodeProto.Builder cast = OnnxMl.NodeProto.newBuilder()
                .setOpType("Cast")
                .setName("cast_mask")
                .addInput("attention_mask")
                .addOutput("mask_float")
                .addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("to")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT)
                        .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber()));
        g.graph.addNode(cast);
        g.graph.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName("axes")
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(1)
                .addInt64Data(1));
        g.graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType("ReduceSum")
                .setName("count_tokens")
                .addInput("mask_float")
                .addInput("axes")
                .addOutput("tokens"));
        String scaled = g.node("Mul", List.of("tokens", g.initializer("w", new float[] {weight})), null);
        String logit = g.add(scaled, g.initializer("b", new float[] {bias}));
        g.output(g.node("Sigmoid", List.of(logit), "probability"), 1);
        return g.build();
    }

    public static final String NGRAM_IDS = "ngram_ids";
    public static final String NGRAM_TF = "ngram_tf";
    public static final String FEATURES = "features";
    public static final String CHOICE_FEATURES = "choice_features";

    /**
     * A dense input of raw features that the ridge reads as (input − mean) · weights (the weights already divided by
     * the training deviation and multiplied by the block's scale).
     */
    public record FeatureBlock(String input, float[] mean, float[] weights, float[] min, float[] max) {
        public FeatureBlock(String input, float[] mean, float[] weights) {
            this(input, mean, weights, null, null);
        }

        /** The same block, its input clipped to [min, max] per feature before it is used (null: not clipped). */
        public FeatureBlock clippedTo(float[] min, float[] max) {
            return new FeatureBlock(input, mean, weights, min, max);
        }
    }

    /**
     * The {@code ridge-knn} head. Inputs: {@code ngram_ids} int64 [N, T] (hashed word n-gram buckets, padded with any
     * id), {@code ngram_tf} float [N, T] (sublinear term frequencies, 0 on padding), {@code embedding} [N, d] and
     * one float [N, f] input per feature block ({@code features}: raw surface features; {@code choice_features}:
     * multiple-choice features, when the router was trained with them). Output {@code score} [N, 1] = (1 + gain) / 2 clipped to [0, 1],
     * where gain, the expected quality gain of the strong model, is the weighted mean of two estimates:
     *
     * <ul>
     *   <li>ridge: intercept + (tf·idf, L2-normalised) · w_ngram + embedding · w_emb + Σ over blocks of
     *       (block − mean) · w_block;
     *   <li>kNN: the mean gain of the training prompts with the highest cosine similarity, averaged over several k
     *       (training vectors stored as int8 with one scale per row).
     * </ul>
     */
    public static byte[] ridgeKnn(
            float[] idf,
            float[] ngramWeights,
            float[] embeddingWeights,
            List<FeatureBlock> blocks,
            float intercept,
            float knnShare,
            float[][] neighbours,
            float[] neighbourGains,
            int[] ks) {
        return ridgeKnn(
                idf,
                ngramWeights,
                embeddingWeights,
                blocks,
                intercept,
                knnShare,
                neighbours,
                neighbourGains,
                null,
                ks,
                null);
    }

    /**
     * How far a prompt is from the training prompts, and what to say there instead. With {@code t̄} the mean of the
     * {@code typical} similarities of its {@code k} nearest training prompts (each one's mean similarity to its own
     * {@code k} nearest other training prompts) and {@code s̄} the prompt's mean similarity to them, familiarity
     * {@code c = clip((s̄ / t̄ − from) / (to − from), 0, 1)}: 1 where the prompt is as close to its neighbours as they
     * are to theirs, 0 where it is much further. The gain becomes {@code c · gain + (1 − c) · prior}, the prior a
     * linear function of the {@code features} input ({@code priorIntercept + (features − mean) · weights}). With
     * {@code reliability} (one value in [0, 1] per training prompt, null for none), c is also multiplied by the mean
     * reliability of those neighbours: near prompts the router has not shown it can rank, the prior speaks.
     */
    public record Familiarity(
            float[] typical,
            int k,
            float from,
            float to,
            FeatureBlock prior,
            float priorIntercept,
            float[] reliability) {
        public Familiarity {
            if (reliability != null && reliability.length != typical.length) {
                throw new IllegalArgumentException("one reliability per training prompt: " + reliability.length
                        + " values for " + typical.length + " prompts");
            }
        }
    }

    /**
     * As above, with the kNN mean weighted per training prompt ({@code neighbourWeights}, null for equal weights)
     * and, when {@code familiarity} is given, the gain shrunk toward its prior where the prompt is unfamiliar.
     */
    public static byte[] ridgeKnn(
            float[] idf,
            float[] ngramWeights,
            float[] embeddingWeights,
            List<FeatureBlock> blocks,
            float intercept,
            float knnShare,
            float[][] neighbours,
            float[] neighbourGains,
            float[] neighbourWeights,
            int[] ks,
            Familiarity familiarity) {
        OnnxGraphs g = new OnnxGraphs("kroute-ridge-knn", embeddingWeights.length);
        g.graph.addInput(intValueInfo(NGRAM_IDS));
        g.graph.addInput(valueInfo(NGRAM_TF, "N", -1));
        for (FeatureBlock block : blocks) {
            g.graph.addInput(valueInfo(block.input(), "N", block.mean().length));
        }
        String axes = g.int64Initializer("axis_1", new long[] {1}, List.of(1L));
        // ridge: sparse part
        String idfs = g.node("Gather", List.of(g.initializer("idf", idf), NGRAM_IDS), null);
        String tfidf = g.node("Mul", List.of(NGRAM_TF, idfs), null);
        String squares = g.node("Mul", List.of(tfidf, tfidf), null);
        String norm = g.node("Sqrt", List.of(g.node("ReduceSum", List.of(squares, axes), null)), null);
        String safeNorm = g.node("Max", List.of(norm, g.initializer("epsilon", new float[] {1e-12f})), null);
        String weights = g.node("Gather", List.of(g.initializer("ngram_weights", ngramWeights), NGRAM_IDS), null);
        String dot = g.node("ReduceSum", List.of(g.node("Mul", List.of(tfidf, weights), null), axes), null);
        String sparse = g.node("Div", List.of(dot, safeNorm), null);
        // ridge: dense parts
        String embedding = g.matMul(INPUT, g.initializer("embedding_weights", column(embeddingWeights)));
        String ridge = g.add(sparse, embedding);
        for (FeatureBlock block : blocks) {
            String centred = g.node(
                    "Sub",
                    List.of(g.clipped(block, block.input()), g.initializer(block.input() + "_mean", block.mean())),
                    null);
            ridge = g.add(ridge, g.matMul(centred, g.initializer(block.input() + "_weights", column(block.weights()))));
        }
        ridge = g.add(ridge, g.initializer("intercept", new float[] {intercept}));
        String gain = ridge;
        if (knnShare > 0 && neighbours.length > 0) {
            String knn = g.nearestNeighbourGain(neighbours, neighbourGains, neighbourWeights, ks, axes);
            gain = g.add(
                    g.node("Mul", List.of(ridge, g.initializer("ridge_share", new float[] {1 - knnShare})), null),
                    g.node("Mul", List.of(knn, g.initializer("knn_share", new float[] {knnShare})), null));
            if (familiarity != null) {
                gain = g.shrinkTowardPrior(gain, familiarity, neighbours.length, axes);
            }
        } else if (familiarity != null) {
            throw new IllegalArgumentException("familiarity needs the nearest neighbours (knn_share > 0)");
        }
        String half = g.initializer("half", new float[] {0.5f});
        String p = g.node("Mul", List.of(g.add(gain, g.initializer("one", new float[] {1f})), half), null);
        String score = g.node("Clip", List.of(p, g.scalar("zero_scalar", 0f), g.scalar("one_scalar", 1f)), "score");
        g.output(score, 1);
        return g.build();
    }

    private String shrinkTowardPrior(String gain, Familiarity f, int neighbours, String axes) {
        int k = Math.min(f.k(), neighbours);
        String start = int64Initializer("familiar_start", new long[] {0}, List.of(1L));
        String end = int64Initializer("familiar_end", new long[] {k}, List.of(1L));
        String near = node("Slice", List.of(TOP_VALUES, start, end, axes), null);
        String similarity = node("ReduceMean", List.of(near), null, intsAttribute("axes", 1));
        String nearIndices = node("Slice", List.of(TOP_INDICES, start, end, axes), null);
        String typical = node(
                "ReduceMean",
                List.of(node("Gather", List.of(initializer("neighbour_typical", f.typical()), nearIndices), null)),
                null,
                intsAttribute("axes", 1));
        String ratio = node(
                "Div",
                List.of(
                        similarity,
                        node("Max", List.of(typical, initializer("typical_floor", new float[] {1e-6f})), null)),
                null);
        String shifted = node("Sub", List.of(ratio, initializer("familiar_from", new float[] {f.from()})), null);
        String scaled = node(
                "Mul", List.of(shifted, initializer("familiar_slope", new float[] {1f / (f.to() - f.from())})), null);
        String familiar =
                node("Clip", List.of(scaled, scalar("familiar_min", 0f), scalar("familiar_max", 1f)), "familiarity");
        if (f.reliability() != null) {
            String reliability = node(
                    "ReduceMean",
                    List.of(node(
                            "Gather",
                            List.of(initializer("neighbour_reliability", f.reliability()), nearIndices),
                            null)),
                    null,
                    intsAttribute("axes", 1));
            familiar = node("Mul", List.of(familiar, reliability), "trusted_familiarity");
        }
        FeatureBlock p = f.prior();
        String centred = node("Sub", List.of(clipped(p, "prior"), initializer("prior_mean", p.mean())), null);
        String prior = add(
                matMul(centred, initializer("prior_weights", column(p.weights()))),
                initializer("prior_intercept", new float[] {f.priorIntercept()}));
        // c · gain + (1 − c) · prior = prior + c · (gain − prior)
        String difference = node("Sub", List.of(gain, prior), null);
        return add(prior, node("Mul", List.of(familiar, difference), null));
    }

    /**
     * The block's input, clipped to the range it had in training where the block says so: a linear model extrapolates
     * without bound on a prompt whose features lie outside anything it was fitted on, clipped it says what it said at
     * the edge.
     */
    private String clipped(FeatureBlock block, String name) {
        if (block.min() == null) {
            return block.input();
        }
        String floor = node("Max", List.of(block.input(), initializer(name + "_min", block.min())), null);
        return node("Min", List.of(floor, initializer(name + "_max", block.max())), null);
    }

    private static final String TOP_VALUES = "top_values";
    private static final String TOP_INDICES = "top_indices";

    /** The vectors as the kNN stores them: int8 with one scale per row (max |value| / 127), back to float. */
    public static float[][] int8RoundTrip(float[][] vectors) {
        float[][] out = new float[vectors.length][];
        for (int r = 0; r < vectors.length; r++) {
            float max = 0;
            for (float v : vectors[r]) {
                max = Math.max(max, Math.abs(v));
            }
            float scale = max == 0 ? 1 : max / 127f;
            out[r] = new float[vectors[r].length];
            for (int c = 0; c < out[r].length; c++) {
                out[r][c] = Math.round(vectors[r][c] / scale) * scale;
            }
        }
        return out;
    }

    private String nearestNeighbourGain(float[][] neighbours, float[] gains, float[] weights, int[] ks, String axes) {
        int m = neighbours.length;
        int d = neighbours[0].length;
        byte[] quantised = new byte[m * d];
        float[] scales = new float[m];
        for (int r = 0; r < m; r++) {
            float max = 0;
            for (float v : neighbours[r]) {
                max = Math.max(max, Math.abs(v));
            }
            scales[r] = max == 0 ? 1 : max / 127f;
            for (int c = 0; c < d; c++) {
                quantised[r * d + c] = (byte) Math.round(neighbours[r][c] / scales[r]);
            }
        }
        graph.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName("neighbours_int8")
                .setDataType(OnnxMl.TensorProto.DataType.INT8.getNumber())
                .addAllDims(List.of((long) m, (long) d))
                .setRawData(ByteString.copyFrom(quantised)));
        String asFloat = node("Cast", List.of("neighbours_int8"), null, intAttribute("to", 1));
        float[][] scaleColumn = column(scales);
        String vectors = node("Mul", List.of(asFloat, initializer("neighbour_scales", scaleColumn)), null);
        String similarity = node("Gemm", List.of(INPUT, vectors), null, intAttribute("transB", 1));
        int kMax = 0;
        for (int k : ks) {
            kMax = Math.max(kMax, Math.min(k, m));
        }
        String top = TOP_VALUES;
        String topIndices = TOP_INDICES;
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType("TopK")
                .setName("topk")
                .addInput(similarity)
                .addInput(int64Initializer("k_max", new long[] {kMax}, List.of(1L)))
                .addOutput(top)
                .addOutput(topIndices)
                .addAttribute(intAttribute("axis", 1)));
        float[] weightedGains = gains;
        if (weights != null) {
            weightedGains = new float[gains.length];
            for (int i = 0; i < gains.length; i++) {
                weightedGains[i] = weights[i] * gains[i];
            }
        }
        String neighbourGains =
                node("Gather", List.of(initializer("neighbour_gains", weightedGains), topIndices), null);
        String neighbourWeights = weights == null
                ? null
                : node("Gather", List.of(initializer("neighbour_weights", weights), topIndices), null);
        String sum = null;
        for (int k : ks) {
            int kk = Math.min(k, m);
            String start = int64Initializer("start_" + k, new long[] {0}, List.of(1L));
            String end = int64Initializer("end_" + k, new long[] {kk}, List.of(1L));
            String slice = node("Slice", List.of(neighbourGains, start, end, axes), null);
            String mean;
            if (neighbourWeights == null) {
                mean = node("ReduceMean", List.of(slice), null, intsAttribute("axes", 1));
            } else {
                // the weighted mean Σ w·g / Σ w over the k nearest
                String weightSlice = node("Slice", List.of(neighbourWeights, start, end, axes), null);
                mean = node(
                        "Div",
                        List.of(
                                node("ReduceSum", List.of(slice, axes), null),
                                node("ReduceSum", List.of(weightSlice, axes), null)),
                        null);
            }
            sum = sum == null ? mean : add(sum, mean);
        }
        return node("Mul", List.of(sum, initializer("knn_average", new float[] {1f / ks.length})), null);
    }

    public static final String TOP_SIMILARITIES = "top_similarities";

    /**
     * The {@code k} highest cosine similarities of each input vector to a fixed set of unit vectors: {@code embedding}
     * [N, d] → {@code top_similarities} [N, k], highest first. Used at training time.
     */
    public static byte[] topSimilarities(float[][] vectors, int k) {
        OnnxGraphs g = new OnnxGraphs("kroute-top-similarities", vectors[0].length);
        String similarity =
                g.node("Gemm", List.of(INPUT, g.initializer("vectors", vectors)), null, intAttribute("transB", 1));
        g.graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType("TopK")
                .setName("topk")
                .addInput(similarity)
                .addInput(g.int64Initializer("k", new long[] {Math.min(k, vectors.length)}, List.of(1L)))
                .addOutput(TOP_SIMILARITIES)
                .addOutput("indices")
                .addAttribute(intAttribute("axis", 1)));
        g.output(TOP_SIMILARITIES, Math.min(k, vectors.length));
        return g.build();
    }

    private static float[][] column(float[] values) {
        float[][] out = new float[values.length][1];
        for (int i = 0; i < values.length; i++) {
            out[i][0] = values[i];
        }
        return out;
    }

    private static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    private static OnnxMl.AttributeProto intsAttribute(String name, long... values) {
        OnnxMl.AttributeProto.Builder a =
                OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private String node(String op, List<String> inputs, String outputName, OnnxMl.AttributeProto attribute) {
        String out = node(op, inputs, outputName);
        OnnxMl.NodeProto.Builder last = graph.getNodeBuilder(graph.getNodeCount() - 1);
        last.addAttribute(attribute);
        return out;
    }

    private String int64Initializer(String name, long[] values, List<Long> dims) {
        graph.addInitializer(OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addAllDims(dims)
                .addAllInt64Data(java.util.Arrays.stream(values).boxed().toList()));
        return name;
    }

    private String scalar(String name, float value) {
        graph.addInitializer(tensor(name, new float[] {value}, List.of()));
        return name;
    }

    private static OnnxMl.ValueInfoProto intValueInfo(String name) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("T"))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                .setElemType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                                .setShape(shape)))
                .build();
    }

    private String matMul(String a, String b) {
        return node("MatMul", List.of(a, b), null);
    }

    private String add(String a, String b) {
        return node("Add", List.of(a, b), null);
    }

    private String node(String op, List<String> inputs, String outputName) {
        String out = outputName != null ? outputName : op.toLowerCase() + "_" + counter;
        graph.addNode(OnnxMl.NodeProto.newBuilder()
                .setOpType(op)
                .setName(op.toLowerCase() + "_node_" + counter++)
                .addAllInput(inputs)
                .addOutput(out));
        return out;
    }

    private String initializer(String name, float[][] matrix) {
        int rows = matrix.length;
        int cols = matrix[0].length;
        float[] flat = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix[r], 0, flat, r * cols, cols);
        }
        graph.addInitializer(tensor(name, flat, List.of((long) rows, (long) cols)));
        return name;
    }

    private String initializer(String name, float[] vector) {
        graph.addInitializer(tensor(name, vector, List.of((long) vector.length)));
        return name;
    }

    private static OnnxMl.TensorProto tensor(String name, float[] values, List<Long> dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        bytes.flip();
        return OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(dims)
                .setRawData(ByteString.copyFrom(bytes))
                .build();
    }

    private void output(String name, int width) {
        graph.addOutput(valueInfo(name, "N", width));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, String batchDim, int width) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batchDim))
                .addDim(
                        width < 0
                                ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("T")
                                : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder()
                        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                                .setShape(shape)))
                .build();
    }

    private byte[] build() {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("kroute router-core")
                .addOpsetImport(
                        OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }
}
