package io.kroute.router.cli;

import io.kroute.router.ModelCard;
import io.kroute.router.Router;
import io.kroute.router.TrainedRouter;
import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.DemoHoldout;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.encoder.CachingPromptEncoder;
import io.kroute.router.encoder.EmbeddingCache;
import io.kroute.router.encoder.Encoders;
import io.kroute.router.encoder.OnnxPromptEncoder;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.router.train.RouterTraining;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What train, calibrate and eval share: the data root, the cached encoder, and loading named data sets. */
final class Workspace implements AutoCloseable {

    static final Map<String, String> LICENCES = Map.of(
            "mmlu", "Apache-2.0 (RouteLLM labels), MIT (MMLU questions)",
            "gsm8k", "Apache-2.0 (RouteLLM labels), MIT (GSM8K questions)",
            "arena", "Apache-2.0 (arena-hard-auto)",
            "gsm8k-gpt3", "MIT (openai/grade-school-math)",
            "routerbench", "none found: local evaluation only, never ship",
            "alpacaeval", "CC BY-NC 4.0: local evaluation only, never ship");

    final Path dataRoot;
    final PrintStream log;
    private final Path cacheDir;
    private final String encoderSpec;
    /** The encoder id the vectors must have (a trained router's), or null for any. */
    private final String requiredEncoder;

    private PromptEncoder encoder;

    Workspace(Args args, PrintStream log) {
        this(args, log, "minilm");
    }

    /** @param defaultEncoder the encoder when {@code --encoder} is not given (a training preset's) */
    Workspace(Args args, PrintStream log, String defaultEncoder) {
        this(args, log, defaultEncoder, null);
    }

    /**
     * For a command on a given router: a trained router's vectors come from the encoder it was trained with (its
     * model card's), and an {@code --encoder} that gives other vectors is refused; a router that reads only text needs
     * no vectors.
     */
    static Workspace forRouter(Args args, PrintStream log, Router router) {
        if (router instanceof TrainedRouter trained && trained.encoderId().isPresent()) {
            Workspace ws = new Workspace(
                    args, log, trained.card().encoder(), trained.encoderId().get());
            if (args.has("encoder")) {
                ws.encoder(); // refuse another encoder before any work
            }
            return ws;
        }
        return new Workspace(args, log);
    }

    private Workspace(Args args, PrintStream log, String defaultEncoder, String requiredEncoder) {
        this.requiredEncoder = requiredEncoder;
        this.dataRoot =
                Path.of(args.get("data-root", BenchmarkData.defaultRoot().toString()));
        this.cacheDir =
                Path.of(args.get("cache", EmbeddingCache.defaultDirectory().toString()));
        this.encoderSpec = args.get("encoder", defaultEncoder);
        try {
            Encoders.check(encoderSpec);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        this.log = log;
    }

    PromptEncoder encoder() {
        if (encoder == null) {
            // Batch size 1, as the routers serve: the int8 graph's vectors shift with their batch (see EXACT), and
            // training on batched vectors would train on slightly different inputs than the router sees.
            try {
                encoder = Encoders.fromSpec(
                        encoderSpec, Runtime.getRuntime().availableProcessors(), OnnxPromptEncoder.EXACT, this::cached);
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
            if (requiredEncoder != null && !encoder.id().equals(requiredEncoder)) {
                String given = encoder.id();
                encoder.close();
                encoder = null;
                throw new Args.UsageException("--encoder " + encoderSpec + " gives vectors of " + given
                        + ", but the router was trained on " + requiredEncoder + "; leave --encoder out");
            }
        }
        return encoder;
    }

    private PromptEncoder cached(PromptEncoder base) {
        return CachingPromptEncoder.onDisk(base, cacheDir, done -> log.printf("  encoded %d new prompts%n", done));
    }

    /**
     * A given router's scores: a trained router on vectors gets them from this workspace (cached, its own encoder by
     * {@link #forRouter}); random, length and text-graph routers read no vectors and none are computed.
     */
    double[] score(Router router, List<String> prompts) {
        if (router instanceof TrainedRouter trained && trained.encoderId().isPresent()) {
            Map<String, float[]> v = vectors(prompts);
            return trained.score(prompts, prompts.stream().map(v::get).toArray(float[][]::new));
        }
        return router.scoreBatch(prompts);
    }

    Map<String, float[]> vectors(List<String> prompts) {
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(prompts));
        float[][] v = encoder().encode(distinct);
        Map<String, float[]> out = new HashMap<>();
        for (int i = 0; i < v.length; i++) {
            out.put(distinct.get(i), v[i]);
        }
        return out;
    }

    /** A data set by name, or a JSONL file of scored answers. */
    Loaded load(String spec) {
        if (BenchmarkData.NAMES.contains(spec)) {
            List<ScoredAnswer> answers = BenchmarkData.load(dataRoot, spec);
            return new Loaded(
                    answers,
                    List.of(),
                    new ModelCard.DataSource(
                            spec, answers.size(), RouterTraining.hashScored(answers), LICENCES.get(spec)));
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException(
                    "data '" + spec + "' is neither a data set " + BenchmarkData.NAMES + " nor a file");
        }
        TrainingData.Loaded loaded = TrainingData.read(file);
        String hash = RouterTraining.hashScored(loaded.scored()) + RouterTraining.hashBattles(loaded.battles());
        return new Loaded(
                loaded.scored(),
                loaded.battles(),
                new ModelCard.DataSource(
                        file.getFileName().toString(),
                        loaded.scored().size() + loaded.battles().size(),
                        hash.substring(0, 64),
                        "as given by the file's owner"));
    }

    /**
     * The data set without the prompts the demo replays ({@link DemoHoldout}): what the shipped {@code default} is
     * trained on. The source keeps its name; its rows and hash are those of what is left.
     */
    Loaded withoutDemoPrompts(String spec, Loaded loaded) {
        List<ScoredAnswer> scored = loaded.scored().stream()
                .filter(a -> !DemoHoldout.reserved(spec, a.prompt()))
                .toList();
        List<io.kroute.router.data.Battle> battles = loaded.battles().stream()
                .filter(b -> !DemoHoldout.reserved(spec, b.prompt()))
                .toList();
        String hash = battles.isEmpty()
                ? RouterTraining.hashScored(scored)
                : (RouterTraining.hashScored(scored) + RouterTraining.hashBattles(battles)).substring(0, 64);
        ModelCard.DataSource s = loaded.source();
        return new Loaded(
                scored, battles, new ModelCard.DataSource(s.name(), scored.size() + battles.size(), hash, s.licence()));
    }

    record Loaded(List<ScoredAnswer> scored, List<io.kroute.router.data.Battle> battles, ModelCard.DataSource source) {}

    @Override
    public void close() {
        if (encoder != null) {
            encoder.close();
        }
    }
}
