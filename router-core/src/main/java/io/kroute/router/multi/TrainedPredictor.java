package io.kroute.router.multi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.router.ModelCard;
import io.kroute.router.RouterInfo;
import io.kroute.router.encoder.Encoders;
import io.kroute.router.encoder.OnnxPromptEncoder;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.router.onnx.OnnxHead;
import io.kroute.schemas.ArtifactPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A performance predictor loaded from a router directory of kind {@value RidgeQuality#KIND}: the encoder the model
 * card names, the heads' ONNX graph ({@code quality} [N, M]) and the calibration sample beside it.
 */
public final class TrainedPredictor implements QualityPredictor {

    public static final String GRAPH = "quality.onnx";
    public static final String OUTPUT = "quality";
    public static final String SAMPLE = "calibration-sample.json";
    private static final long MAX_SAMPLE_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelCard card;
    private final PromptEncoder encoder;
    private final OnnxHead head;
    private final CalibrationSample sample;
    private final double[] range;

    private TrainedPredictor(
            ModelCard card, PromptEncoder encoder, OnnxHead head, CalibrationSample sample, double[] range) {
        this.card = card;
        this.encoder = encoder;
        this.head = head;
        this.sample = sample;
        this.range = range;
    }

    /** Whether a router directory holds a performance predictor (and not a two-model router). */
    public static boolean isPredictor(Path directory) {
        try {
            Path file = directory.resolve(ModelCard.FILE);
            return Files.isRegularFile(file)
                    && RidgeQuality.KIND.equals(
                            ModelCard.fromJson(Files.readAllBytes(file)).kind());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A predictor directory, or {@code classpath:BASE} for one on the classpath (e.g. the shipped
     * {@code classpath:kroute/routers/arena-predictor}).
     */
    public static TrainedPredictor load(String reference) {
        if (reference.startsWith("classpath:")) {
            return loadResource(reference.substring("classpath:".length()));
        }
        Path path = Path.of(reference);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(
                    "a many-model router must be a predictor directory or classpath:BASE, got '" + reference + "'");
        }
        return load(path);
    }

    private static TrainedPredictor loadResource(String base) {
        Path dir;
        try {
            dir = Files.createTempDirectory("kroute-predictor");
            dir.toFile().deleteOnExit();
            String prefix = "/" + base.replaceAll("^/+|/+$", "") + "/";
            for (String name : List.of(ModelCard.FILE, GRAPH, SAMPLE)) {
                try (var in = TrainedPredictor.class.getResourceAsStream(prefix + name)) {
                    if (in == null) {
                        throw new IllegalArgumentException(
                                "no predictor resource " + prefix + name + " on the classpath");
                    }
                    Path file = dir.resolve(name);
                    Files.copy(in, file);
                    file.toFile().deleteOnExit();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return load(dir);
    }

    public static TrainedPredictor load(Path directory) {
        Path cardFile = directory.resolve(ModelCard.FILE);
        if (!Files.isRegularFile(cardFile)) {
            throw new IllegalArgumentException("not a router directory (no " + ModelCard.FILE + "): " + directory);
        }
        try {
            ModelCard card = ModelCard.fromJson(Files.readAllBytes(cardFile));
            if (!RidgeQuality.KIND.equals(card.kind())) {
                throw new IllegalArgumentException(directory + " holds a " + card.kind()
                        + " router, not a performance predictor (kind " + RidgeQuality.KIND + ")");
            }
            if (card.models() == null
                    || card.models().size() < 2
                    || card.outputTokens() == null
                    || !card.outputTokens().keySet().containsAll(card.models())) {
                throw new IllegalArgumentException(directory + ": a predictor's card lists its models and every one's"
                        + " answer length (output_tokens)");
            }
            Path sampleFile = ArtifactPaths.resolve(directory, SAMPLE);
            if (Files.size(sampleFile) > MAX_SAMPLE_BYTES) {
                throw new IllegalArgumentException(SAMPLE + " is larger than " + MAX_SAMPLE_BYTES + " bytes");
            }
            CalibrationSample sample =
                    readSample(Files.readAllBytes(sampleFile), card.models().size());
            OnnxHead head = new OnnxHead(Files.readAllBytes(ArtifactPaths.resolve(directory, card.head())), OUTPUT);
            Map<String, Object> h = card.hyperparameters();
            double[] range = {
                ((Number) h.getOrDefault("quality_min", 0)).doubleValue(),
                ((Number) h.getOrDefault("quality_max", 1)).doubleValue()
            };
            PromptEncoder encoder = Encoders.fromSpec(
                    card.encoder(), Runtime.getRuntime().availableProcessors(), OnnxPromptEncoder.EXACT);
            return new TrainedPredictor(card, encoder, head, sample, range);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a predictor directory: the heads' graph, the card, and the predictions on the training prompts as the
     * calibration sample.
     */
    public static ModelCard save(
            Path directory,
            RidgeQuality heads,
            String encoderId,
            double[] meanOutputTokens,
            double[] qualityRange,
            List<ModelCard.DataSource> sources,
            String version,
            int[] samplePromptTokens,
            double[][] sampleQuality,
            String notes)
            throws IOException {
        Files.createDirectories(directory);
        Files.write(
                directory.resolve(GRAPH),
                io.kroute.router.onnx.OnnxGraphs.linearHeads(heads.weights(), heads.bias(), OUTPUT));
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (int m = 0; m < heads.models().size(); m++) {
            out.put(heads.models().get(m), meanOutputTokens[m]);
        }
        Map<String, Object> hyper = new java.util.LinkedHashMap<>();
        hyper.put("penalty", heads.penalty());
        hyper.put("rank", heads.rank());
        hyper.put("quality_min", qualityRange[0]);
        hyper.put("quality_max", qualityRange[1]);
        ModelCard card = new ModelCard(
                RidgeQuality.KIND,
                version,
                encoderId,
                heads.models(),
                null,
                null,
                GRAPH,
                OUTPUT,
                sources,
                null,
                hyper,
                null,
                Map.of(),
                notes,
                null,
                out);
        Files.write(directory.resolve(ModelCard.FILE), card.toJson());
        ObjectNode root = JSON.createObjectNode();
        ArrayNode tokens = root.putArray("prompt_tokens");
        ArrayNode quality = root.putArray("quality");
        for (int i = 0; i < samplePromptTokens.length; i++) {
            tokens.add(samplePromptTokens[i]);
            ArrayNode row = quality.addArray();
            for (double q : sampleQuality[i]) {
                row.add(Math.round(q * 1e4) / 1e4);
            }
        }
        Files.write(directory.resolve(SAMPLE), JSON.writeValueAsBytes(root));
        return card;
    }

    private static CalibrationSample readSample(byte[] json, int models) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode tokens = root.path("prompt_tokens");
        JsonNode quality = root.path("quality");
        if (!tokens.isArray() || !quality.isArray() || tokens.size() != quality.size() || tokens.size() == 0) {
            throw new IllegalArgumentException(SAMPLE + " needs equally long, non-empty prompt_tokens and quality");
        }
        int n = tokens.size();
        int[] t = new int[n];
        double[][] q = new double[n][models];
        for (int i = 0; i < n; i++) {
            t[i] = tokens.get(i).asInt();
            JsonNode row = quality.get(i);
            if (!row.isArray() || row.size() != models) {
                throw new IllegalArgumentException(SAMPLE + " row " + i + " must have " + models + " qualities");
            }
            for (int m = 0; m < models; m++) {
                q[i][m] = row.get(m).asDouble();
            }
        }
        return new CalibrationSample(t, q);
    }

    public ModelCard card() {
        return card;
    }

    @Override
    public List<String> models() {
        return card.models();
    }

    @Override
    public double[][] predict(List<String> prompts) {
        if (prompts.isEmpty()) {
            return new double[0][];
        }
        float[][] q = head.run(encoder.encode(prompts));
        double[][] out = new double[q.length][];
        for (int i = 0; i < q.length; i++) {
            out[i] = new double[q[i].length];
            for (int m = 0; m < q[i].length; m++) {
                out[i][m] = q[i][m];
            }
        }
        return out;
    }

    /** The prompts' vectors, as the heads read them (the card's encoder). */
    public float[][] encode(List<String> prompts) {
        return encoder.encode(prompts);
    }

    /** The id of the encoder the heads read. */
    public String encoderId() {
        return encoder.id();
    }

    /**
     * The heads as weights, read back from the graph: it is affine in the prompt vector, so the bias is its output at
     * the zero vector and each weight column its output at a unit vector less the bias. A graph that is not affine
     * (checked on a random vector) is refused.
     *
     * @param dimension the length of the vectors the heads read
     */
    public RidgeQuality heads(int dimension) {
        float[][] probes = new float[dimension + 2][dimension];
        for (int j = 0; j < dimension; j++) {
            probes[j + 1][j] = 1f;
        }
        java.util.Random random = new java.util.Random(dimension);
        float[] check = probes[dimension + 1];
        for (int j = 0; j < dimension; j++) {
            check[j] = (float) random.nextGaussian();
        }
        float[][] out = head.run(probes);
        int models = card.models().size();
        float[] bias = out[0].clone();
        float[][] weights = new float[models][dimension];
        for (int m = 0; m < models; m++) {
            for (int j = 0; j < dimension; j++) {
                weights[m][j] = out[j + 1][m] - bias[m];
            }
        }
        RidgeQuality heads = RidgeQuality.of(
                card.models(),
                weights,
                bias,
                ((Number) card.hyperparameters().getOrDefault("penalty", Double.NaN)).doubleValue(),
                ((Number) card.hyperparameters().getOrDefault("rank", 0)).intValue());
        double[] expected = heads.predict(new float[][] {check})[0];
        for (int m = 0; m < models; m++) {
            double tolerance = 1e-3 * Math.max(1, Math.abs(out[dimension + 1][m]));
            if (Math.abs(expected[m] - out[dimension + 1][m]) > tolerance) {
                throw new IllegalArgumentException("predictor " + card.version()
                        + ": its graph is not affine in the prompt vector, so its heads cannot be read back");
            }
        }
        return heads;
    }

    @Override
    public Map<String, Double> expectedOutputTokens() {
        return card.outputTokens();
    }

    @Override
    public double[] qualityRange() {
        return range.clone();
    }

    @Override
    public CalibrationSample calibrationSample() {
        return sample;
    }

    @Override
    public RouterInfo info() {
        return new RouterInfo(card.kind(), card.version());
    }

    @Override
    public void close() {
        head.close();
        encoder.close();
    }
}
