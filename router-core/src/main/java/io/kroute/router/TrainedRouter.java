package io.kroute.router;

import io.kroute.router.encoder.Encoders;
import io.kroute.router.encoder.OnnxPromptEncoder;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.router.onnx.OnnxHead;
import io.kroute.router.onnx.OnnxTextHead;
import io.kroute.router.onnx.PromptFeatureHead;
import io.kroute.router.text.ChoiceFeatures;
import io.kroute.router.text.SurfaceFeatures;
import io.kroute.router.text.WordNgrams;
import io.kroute.router.train.Classifier;
import io.kroute.router.train.MatrixFactorization;
import io.kroute.router.train.RidgeKnn;
import io.kroute.router.train.SwRanking;
import io.kroute.schemas.ArtifactPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A router loaded from a trained router directory (or the same layout on the classpath): the prompt encoder named
 * by the model card, then the head (an ONNX graph run by ONNX Runtime, or SW ranking's battles).
 */
public final class TrainedRouter implements Router {

    private final ModelCard card;
    private final PromptEncoder encoder;
    /** (prompt texts, prompt vectors) to scores; most heads read only the vectors. */
    private final BiFunction<List<String>, float[][], double[]> head;

    private final AutoCloseable headResource;
    private final String strong;
    private final String weak;
    private final Function<List<String>, double[]> textScorer;

    private TrainedRouter(
            ModelCard card,
            PromptEncoder encoder,
            BiFunction<List<String>, float[][], double[]> head,
            AutoCloseable resource,
            String strong,
            String weak,
            Function<List<String>, double[]> textScorer) {
        this.card = card;
        this.encoder = encoder;
        this.head = head;
        this.headResource = resource;
        this.strong = strong;
        this.weak = weak;
        this.textScorer = textScorer;
    }

    /** Loads a router directory, routing the model card's (strong, weak) pair. */
    public static TrainedRouter load(Path directory) {
        return load(directory, null, null);
    }

    /**
     * Loads a router directory, routing another pair of models it was trained on (MF and SW ranking). A file the model
     * card names must be inside the directory (see {@link ArtifactPaths}): the directory may come from the
     * {@code router-models} topic, whose checksum and signature cover only what is inside it.
     */
    public static TrainedRouter load(Path directory, String strong, String weak) {
        if (!Files.isRegularFile(directory.resolve(ModelCard.FILE))) {
            throw new IllegalArgumentException("not a router directory (no " + ModelCard.FILE + "): " + directory);
        }
        return load(
                name -> {
                    try {
                        return Files.newInputStream(ArtifactPaths.resolve(directory, name));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                strong,
                weak,
                OnnxPromptEncoder.EXACT);
    }

    /** Loads the same layout from the classpath, e.g. {@code kroute/routers/default}. */
    public static TrainedRouter loadResource(String base) {
        return loadResource(base, OnnxPromptEncoder.EXACT);
    }

    /**
     * As {@link #loadResource(String)}, choosing the encoder's batch size: {@link OnnxPromptEncoder#EXACT} (the
     * default) makes a score a function of its text alone; {@link OnnxPromptEncoder#FAST} batches for throughput.
     */
    public static TrainedRouter loadResource(String base, int encoderBatch) {
        String prefix = "/" + base.replaceAll("^/+|/+$", "") + "/";
        return load(
                name -> {
                    InputStream in = TrainedRouter.class.getResourceAsStream(prefix + name);
                    if (in == null) {
                        throw new IllegalArgumentException("no router resource " + prefix + name + " on the classpath");
                    }
                    return in;
                },
                null,
                null,
                encoderBatch);
    }

    static TrainedRouter load(Function<String, InputStream> files, String strong, String weak, int encoderBatch) {
        ModelCard card = ModelCard.fromJson(read(files, ModelCard.FILE));
        if (card.kind().equals(io.kroute.router.multi.RidgeQuality.KIND)) {
            throw new IllegalArgumentException("router " + card.version() + " is a performance predictor for many"
                    + " models (kind " + card.kind() + "), not a strong/weak router: a router-stream serves it with"
                    + " kroute.models set");
        }
        if (card.kind().equals("onnx") && card.textInput() != null) {
            OnnxTextHead text;
            try (InputStream tokenizer = files.apply(card.textInput().tokenizer())) {
                text = new OnnxTextHead(
                        read(files, card.head()), tokenizer, card.textInput().maxTokens(), card.headOutput());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new TrainedRouter(card, null, null, text, card.strong(), card.weak(), text::score);
        }
        String s = strong != null ? strong : card.strong();
        String w = weak != null ? weak : card.weak();
        List<String> models = card.models();
        if (models != null && !models.isEmpty() && (!models.contains(s) || !models.contains(w))) {
            throw new IllegalArgumentException("router was trained on " + models + ", not on " + s + " / " + w);
        }
        BiFunction<List<String>, float[][], double[]> head;
        AutoCloseable resource;
        switch (card.kind()) {
            case MatrixFactorization.KIND -> {
                OnnxHead graph = new OnnxHead(read(files, card.head()), "logits");
                int si = models.indexOf(s);
                int wi = models.indexOf(w);
                head = (texts, vectors) -> {
                    float[][] logits = graph.run(vectors);
                    double[] out = new double[logits.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = 1.0 / (1.0 + Math.exp(-((double) logits[i][si] - logits[i][wi])));
                    }
                    return out;
                };
                resource = graph;
            }
            case Classifier.KIND, "onnx" -> {
                if (card.kind().equals(Classifier.KIND) && (!s.equals(card.strong()) || !w.equals(card.weak()))) {
                    throw new IllegalArgumentException("a classifier routes only the pair it was trained on");
                }
                OnnxHead graph = new OnnxHead(
                        read(files, card.head()), card.kind().equals("onnx") ? card.headOutput() : "score");
                head = (texts, vectors) -> {
                    float[][] p = graph.run(vectors);
                    double[] out = new double[p.length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = p[i][0];
                    }
                    return out;
                };
                resource = graph;
            }
            case SwRanking.KIND -> {
                SwRanking sw;
                try {
                    sw = SwRanking.load(files.apply(card.head()), models);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                head = (texts, vectors) -> sw.score(texts, vectors, s, w);
                resource = () -> {};
            }
            case RidgeKnn.KIND -> {
                if (!s.equals(card.strong()) || !w.equals(card.weak())) {
                    throw new IllegalArgumentException("a ridge-knn router routes only the pair it was trained on");
                }
                Map<String, Object> h = card.hyperparameters();
                Object choices = h.getOrDefault("choice_features", ChoiceFeatures.VERSION);
                if (!WordNgrams.VERSION.equals(h.get("ngrams"))
                        || !SurfaceFeatures.VERSION.equals(h.get("surface_features"))
                        || !ChoiceFeatures.VERSION.equals(choices)) {
                    throw new IllegalArgumentException("router was trained with text features " + h.get("ngrams")
                            + " / " + h.get("surface_features") + " / " + choices + ", this build computes "
                            + WordNgrams.VERSION + " / " + SurfaceFeatures.VERSION + " / " + ChoiceFeatures.VERSION);
                }
                PromptFeatureHead graph = new PromptFeatureHead(
                        read(files, card.head()), new WordNgrams(((Number) h.get("buckets")).intValue()));
                head = graph::score;
                resource = graph;
            }
            default -> throw new IllegalArgumentException(
                    "unknown router kind '" + card.kind() + "' in the model card");
        }
        PromptEncoder encoder =
                Encoders.fromSpec(card.encoder(), Runtime.getRuntime().availableProcessors(), encoderBatch);
        if (!encoder.id().equals(card.encoder()) && !card.encoder().contains(",")) {
            encoder.close();
            throw new IllegalArgumentException(
                    "router needs encoder " + card.encoder() + " but the bundled one is " + encoder.id());
        }
        return new TrainedRouter(card, encoder, head, resource, s, w, null);
    }

    private static byte[] read(Function<String, InputStream> files, String name) {
        try (InputStream in = files.apply(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ModelCard card() {
        return card;
    }

    public String strong() {
        return strong;
    }

    public String weak() {
        return weak;
    }

    /**
     * The id of the encoder whose vectors {@link #score(List, float[][])} takes, empty for a router that reads only
     * the text (a bring-your-own text graph).
     */
    public java.util.Optional<String> encoderId() {
        return encoder == null ? java.util.Optional.empty() : java.util.Optional.of(encoder.id());
    }

    /** Scores prompts whose vectors (from the same encoder, e.g. cached ones) are already known. */
    public double[] score(List<String> prompts, float[][] vectors) {
        if (textScorer != null) {
            return textScorer.apply(prompts);
        }
        return head.apply(prompts, vectors);
    }

    @Override
    public double score(String prompt) {
        if (textScorer != null) {
            return textScorer.apply(List.of(prompt))[0];
        }
        return head.apply(List.of(prompt), new float[][] {encoder.encode(prompt)})[0];
    }

    @Override
    public double[] scoreBatch(List<String> prompts) {
        if (prompts.isEmpty()) {
            return new double[0];
        }
        if (textScorer != null) {
            return textScorer.apply(prompts);
        }
        return head.apply(prompts, encoder.encode(prompts));
    }

    @Override
    public double thresholdForStrongShare(double strongShare) {
        if (card.calibration() == null) {
            throw new IllegalStateException("router has no calibration: run 'ops/router calibrate' on it");
        }
        if (!strong.equals(card.strong()) || !weak.equals(card.weak())) {
            throw new IllegalStateException("calibration is for " + card.strong() + " vs " + card.weak() + " only");
        }
        return ThresholdCalibrator.threshold(card.calibration().quantiles(), strongShare);
    }

    /** The share of the calibration sample that a threshold sends to the strong model. */
    public double strongShareForThreshold(double threshold) {
        if (card.calibration() == null) {
            throw new IllegalStateException("router has no calibration: run 'ops/router calibrate' on it");
        }
        return ThresholdCalibrator.strongShare(card.calibration().quantiles(), threshold);
    }

    @Override
    public RouterInfo info() {
        return new RouterInfo(card.kind(), card.version());
    }

    @Override
    public void close() {
        try {
            headResource.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (encoder != null) {
            encoder.close();
        }
    }
}
