package io.kroute.router.cli;

import io.kroute.router.ModelCard;
import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.router.ThresholdCalibrator;
import io.kroute.router.TrainedRouter;
import io.kroute.router.data.Battle;
import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.DemoHoldout;
import io.kroute.router.data.PromptSample;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.encoder.BundledModel;
import io.kroute.router.encoder.StaticTokenEncoder;
import io.kroute.router.encoder.StaticTokenTable;
import io.kroute.router.train.BattleSet;
import io.kroute.router.train.RouterTraining;
import io.kroute.router.train.TrainedHead;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** {@code ops/router <command>}: train, calibrate, eval, score, data. Bad arguments: one line on stderr, exit 2. */
public final class RouterCli {

    static final String USAGE =
            "usage: router train|calibrate|eval|share|score|data|static-table|bench [--option value ...];"
                    + " router COMMAND --help lists a command's options (see docs/routers.md)";

    /** Each command's options; {@code router COMMAND --help} lists them. */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "train",
            Set.of(
                    "kind",
                    "data",
                    "strong",
                    "weak",
                    "out",
                    "seed",
                    "preset",
                    "data-root",
                    "cache",
                    "encoder",
                    "set",
                    "models",
                    "prices",
                    "penalty",
                    "demo-holdout"),
            "calibrate",
            Set.of("router", "data", "data-root", "cache", "encoder"),
            "eval",
            EvalCommand.OPTIONS,
            "share",
            ShareCommand.OPTIONS,
            "score",
            Set.of("router", "share", "threshold"),
            "data",
            Set.of("dataset", "format", "out", "data-root"),
            "static-table",
            Set.of("model", "out", "threads"));

    private RouterCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** One command with its options, e.g. {@code eval --benchmark gsm8k}; the exit code, nothing exits the JVM. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Set<String> options = OPTIONS.get(args[0]);
        if (options != null && (rest.contains("--help") || rest.contains("-h"))) {
            out.println("usage: router " + args[0] + " "
                    + new TreeSet<>(options)
                            .stream().map(o -> "[--" + o + " V]").collect(Collectors.joining(" "))
                    + (args[0].equals("score")
                            ? " < PROMPT (all of stdin is one prompt; prints its score and decision)"
                            : "")
                    + " (see docs/routers.md)");
            return 0;
        }
        try {
            return switch (args[0]) {
                case "train" -> train(new Args(rest, options), out, err);
                case "calibrate" -> calibrate(new Args(rest, options), out, err);
                case "eval" -> EvalCommand.run(new Args(rest, options), out, err);
                case "share" -> ShareCommand.run(new Args(rest, options), out, err);
                case "score" -> score(new Args(rest, options), in, out);
                case "data" -> data(new Args(rest, options), out);
                case "static-table" -> staticTable(new Args(rest, options), out);
                case "bench" -> throw new Args.UsageException(
                        "bench runs JMH through ops/router bench (see docs/routers.md, Routing speed)");
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    yield 0;
                }
                default -> throw new Args.UsageException("unknown command '" + args[0] + "'; " + USAGE);
            };
        } catch (Args.UsageException | IllegalArgumentException | IllegalStateException e) {
            err.println("router: " + firstLine(e.getMessage()));
            return 2;
        } catch (Exception e) {
            err.println("router: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
            return 1;
        }
    }

    private static int train(Args args, PrintStream out, PrintStream log) throws Exception {
        Presets.Preset preset = Presets.fromArgs(args);
        String kind = args.has("kind") ? args.get("kind", null) : preset == null ? null : preset.kind();
        String dataSpec = args.has("data") ? args.get("data", null) : preset == null ? null : preset.data();
        if (kind == null || dataSpec == null) {
            throw new Args.UsageException("train needs --kind and --data (or --preset default)");
        }
        if (kind.equals(io.kroute.router.multi.RidgeQuality.KIND)) {
            return TrainPredictorCommand.run(args, out, log);
        }
        if (args.has("models") || args.has("prices") || args.has("penalty")) {
            throw new Args.UsageException("--models, --prices and --penalty train a predictor: --kind "
                    + io.kroute.router.multi.RidgeQuality.KIND);
        }
        if (!RouterTraining.KINDS.contains(kind)) {
            throw new Args.UsageException("unknown --kind '" + kind + "', expected one of " + RouterTraining.KINDS
                    + " or " + io.kroute.router.multi.RidgeQuality.KIND + " (a predictor for many models)");
        }
        Path outDir = args.has("out") || preset == null
                ? Path.of(args.required("out"))
                : io.kroute.router.RouterLoader.localRouters().resolve(args.get("preset", ""));
        String strong = args.get("strong", BenchmarkData.GPT4);
        String weak = args.get("weak", BenchmarkData.MIXTRAL);
        long seed = (long) args.number("seed", preset == null ? 42 : preset.seed(), 0, Long.MAX_VALUE);
        boolean demoHoldout = preset != null && preset.demoHoldout();
        try (Workspace ws = new Workspace(args, log, preset == null ? "minilm" : preset.encoder())) {
            List<Battle> battles = new ArrayList<>();
            List<ModelCard.DataSource> sources = new ArrayList<>();
            Map<String, String> sourceOf = new java.util.HashMap<>();
            Map<String, Double> meanScores = new java.util.HashMap<>();
            int heldForDemo = 0;
            for (String spec : dataSpec.split(",")) {
                Workspace.Loaded loaded = ws.load(spec);
                if (demoHoldout) {
                    int before = loaded.scored().size();
                    loaded = ws.withoutDemoPrompts(spec, loaded);
                    heldForDemo += before - loaded.scored().size();
                }
                battles.addAll(loaded.battles());
                battles.addAll(TrainingData.battles(loaded.scored()));
                sources.add(loaded.source());
                loaded.battles().forEach(b -> sourceOf.putIfAbsent(b.prompt(), spec));
                loaded.scored().forEach(a -> sourceOf.putIfAbsent(a.prompt(), spec));
                TrainingData.meanScores(loaded.scored()).forEach(meanScores::putIfAbsent);
                log.printf("loaded %s: %d rows%n", spec, loaded.source().rows());
            }
            List<String> prompts = new ArrayList<>(
                    new LinkedHashSet<>(battles.stream().map(Battle::prompt).toList()));
            log.printf("encoding %d distinct prompts (cached vectors are reused)%n", prompts.size());
            Map<String, float[]> vectors = ws.vectors(prompts);
            BattleSet set =
                    BattleSet.of(battles, vectors).withSources(sourceOf::get).withMeanScores(meanScores::get);
            log.printf("training %s on %d battles over %d models%n", kind, set.size(), set.models.size());
            TrainedHead head;
            try (io.kroute.progress.Progress epochs = io.kroute.progress.Progress.forStderr(
                    new java.io.PrintWriter(log, true), "train " + kind, "epochs", java.time.Duration.ZERO, () -> -1)) {
                head = RouterTraining.train(
                        kind,
                        set,
                        strong,
                        weak,
                        seed,
                        Presets.overrides(preset, args),
                        m -> log.println("  " + m),
                        (done, total) -> epochs.update(done, total, ""));
            }
            double[] calibration =
                    head.score(prompts, prompts.stream().map(vectors::get).toArray(float[][]::new), strong, weak);
            String notes = "Trained on " + dataSpec
                    + " (RouteLLM MMLU/GSM8K decontaminated). Prompts of these data sets are IN-SAMPLE for this router; evaluate it only on other data."
                    + (demoHoldout
                            ? " The " + heldForDemo + " prompts the demo replays (DemoHoldout: "
                                    + DemoHoldout.percent("gsm8k")
                                    + "% of GSM8K, " + DemoHoldout.percent("mmlu")
                                    + "% of MMLU) were left out, so the demo's numbers are out of sample."
                            : "");
            ModelCard card = RouterTraining.save(
                    outDir,
                    head,
                    ws.encoder().id(),
                    strong,
                    weak,
                    sources,
                    "training prompts (" + dataSpec + (demoHoldout ? ", demo prompts left out" : "") + ")",
                    calibration,
                    notes);
            out.printf(
                    "wrote %s router %s to %s (threshold for 50%% strong: %.4f)%n",
                    card.kind(),
                    card.version(),
                    outDir,
                    ThresholdCalibrator.threshold(card.calibration().quantiles(), 0.5));
        }
        return 0;
    }

    private static int calibrate(Args args, PrintStream out, PrintStream log) throws Exception {
        Path dir = Path.of(args.required("router"));
        try (TrainedRouter router = TrainedRouter.load(dir);
                Workspace ws = Workspace.forRouter(args, log, router)) {
            String spec = args.required("data");
            List<String> prompts = calibrationPrompts(ws, spec);
            if (prompts.isEmpty()) {
                throw new Args.UsageException("calibration data '" + spec + "' has no prompts");
            }
            double[] scores = ws.score(router, prompts);
            ModelCard card = router.card()
                    .withCalibration(
                            new ModelCard.Calibration(spec, scores.length, ThresholdCalibrator.quantiles(scores)));
            Files.write(dir.resolve(ModelCard.FILE), card.toJson());
            out.printf("calibrated on %d prompts of %s%n", scores.length, spec);
            for (double share : new double[] {0.1, 0.2, 0.3, 0.5, 0.8}) {
                out.printf(
                        "  strong share %.0f%% -> threshold %.5f%n",
                        100 * share,
                        ThresholdCalibrator.threshold(card.calibration().quantiles(), share));
            }
        }
        return 0;
    }

    /**
     * A named data set's prompts, or a file of traffic: unlabelled prompts, prompt requests or training rows (see
     * {@link PromptSample}).
     */
    private static List<String> calibrationPrompts(Workspace ws, String spec) {
        if (BenchmarkData.NAMES.contains(spec)) {
            return ws.load(spec).scored().stream()
                    .map(ScoredAnswer::prompt)
                    .distinct()
                    .toList();
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new Args.UsageException(
                    "data '" + spec + "' is neither a data set " + BenchmarkData.NAMES + " nor a file");
        }
        try {
            return PromptSample.read(file);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    private static int score(Args args, InputStream in, PrintStream out) throws Exception {
        if (args.has("share") && args.has("threshold")) {
            throw new Args.UsageException("give --share or --threshold, not both");
        }
        String prompt = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (prompt.isEmpty()) {
            throw new Args.UsageException("no prompt on stdin");
        }
        try (Router router = RouterLoader.load(args.get("router", "default"))) {
            double threshold = args.has("threshold")
                    ? args.number("threshold", 0.5, 0, 1)
                    : router.thresholdForStrongShare(args.number("share", 0.5, 0, 1));
            double score = router.score(prompt);
            out.printf(
                    "score %.6f threshold %.6f decision %s router %s %s%n",
                    score,
                    threshold,
                    score >= threshold ? "strong" : "weak",
                    router.info().kind(),
                    router.info().version());
        }
        return 0;
    }

    private static int data(Args args, PrintStream out) {
        String name = args.required("dataset");
        String format = args.get("format", "scored");
        Path file = Path.of(args.required("out"));
        Path root = Path.of(args.get("data-root", BenchmarkData.defaultRoot().toString()));
        List<ScoredAnswer> answers = BenchmarkData.load(root, name);
        switch (format) {
            case "scored" -> TrainingData.writeScored(file, answers);
            case "battles" -> TrainingData.writeBattles(file, TrainingData.battles(answers));
            default -> throw new Args.UsageException("--format must be 'scored' or 'battles'");
        }
        out.printf("wrote %s (%s) to %s%n", name, format, file);
        return 0;
    }

    /** Rebuilds the static token table of a bundled model (default MiniLM), gzipped (the shipped resource). */
    private static int staticTable(Args args, PrintStream out) {
        String spec = args.get("model", BundledModel.MINILM.spec());
        List<String> specs =
                Arrays.stream(BundledModel.values()).map(BundledModel::spec).toList();
        BundledModel model = BundledModel.of(spec)
                .filter(m -> m.spec().equals(spec))
                .orElseThrow(() -> new Args.UsageException("--model must be one of " + specs + "; got '" + spec + "'"));
        Path file =
                Path.of(args.get("out", "router-core/src/main/resources" + StaticTokenEncoder.tableResource(model)));
        int threads = (int) args.number("threads", Runtime.getRuntime().availableProcessors(), 1, 256);
        long start = System.nanoTime();
        StaticTokenTable table;
        try (io.kroute.progress.Progress progress = io.kroute.progress.Progress.forStderr(
                new java.io.PrintWriter(System.err, true),
                "static-table",
                "tokens",
                java.time.Duration.ofSeconds(10),
                () -> -1)) {
            table = StaticTokenEncoder.buildTable(model, threads, (done, total) -> progress.update(done, total, ""));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        table.write(file, true);
        out.printf(
                "distilled %d tokens x %d in %.1f s (%d threads); wrote %s (%,d bytes)%n",
                table.rows(),
                table.dimension(),
                seconds,
                threads,
                file,
                file.toFile().length());
        return 0;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "failed";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
