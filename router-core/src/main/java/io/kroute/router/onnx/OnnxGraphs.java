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
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
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
