package io.kroute.router.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.progress.Progress;
import io.kroute.router.LengthRouter;
import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.router.TrainedRouter;
import io.kroute.router.data.Battle;
import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.eval.CurvePlot;
import io.kroute.router.eval.RoutingEvaluation;
import io.kroute.router.train.BattleSet;
import io.kroute.router.train.Folds;
import io.kroute.router.train.RouterTraining;
import io.kroute.router.train.TrainedHead;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code eval}: RouteLLM's evaluation of router kinds on one benchmark, under one of two protocols. Transfer trains
 * on other data only (any training prompt whose text is in the benchmark is dropped too); k-fold CV trains on k-1
 * folds of the benchmark (disjoint by prompt) and scores the held fold, then evaluates on the union.
 */
final class EvalCommand {

    static final Set<String> OPTIONS = Set.of(
            "benchmark",
            "protocol",
            "kinds",
            "train",
            "folds",
            "seed",
            "strong",
            "weak",
            "out",
            "router",
            "data-root",
            "cache",
            "encoder",
            "set",
            "record-in",
            "groups",
            "preset",
            "holdout",
            "train-sources",
            "models",
            "prices",
            "penalty",
            "serving",
            "serving-names");

    private EvalCommand() {}

    static int run(Args args, PrintStream out, PrintStream log) throws Exception {
        String protocol = args.get("protocol", "cv");
        if (args.has("preset") && args.has("kinds")) {
            throw new Args.UsageException("--preset sets the kind: leave out --kinds");
        }
        if (args.has("models")) {
            return ManyModelEvalCommand.run(args, out, log);
        }
        if (args.has("serving") || args.has("serving-names")) {
            throw new Args.UsageException(
                    "--serving and --serving-names correct a many-model predictor: add --models and --protocol correct");
        }
        if (!protocol.equals("cv") && !protocol.equals("transfer") && !protocol.equals(LeaveOneOutCommand.PROTOCOL)) {
            throw new Args.UsageException(
                    "--protocol must be 'cv', 'transfer' or 'leave-one-out', got '" + protocol + "'");
        }
        if (args.has("prices") || args.has("penalty")) {
            throw new Args.UsageException("--prices and --penalty are for many models: add --models all");
        }
        if (protocol.equals(LeaveOneOutCommand.PROTOCOL)) {
            return LeaveOneOutCommand.run(args, out, log);
        }
        if (args.has("holdout") || args.has("train-sources")) {
            throw new Args.UsageException("--holdout and --train-sources are for --protocol leave-one-out");
        }
        String benchmark = args.required("benchmark");
        Presets.Preset preset = Presets.fromArgs(args);
        boolean gpt3 = benchmark.equals("gsm8k-gpt3");
        String strong = args.get("strong", gpt3 ? "gpt3-175b-verification" : BenchmarkData.GPT4);
        String weak = args.get("weak", gpt3 ? "gpt3-6b-verification" : BenchmarkData.MIXTRAL);
        int folds = (int) args.number("folds", 5, 2, 20);
        long seed = (long) args.number("seed", 42, 0, Long.MAX_VALUE);
        List<String> kinds = preset != null
                ? List.of(preset.kind())
                : List.of(args.get("kinds", String.join(",", RouterTraining.KINDS))
                        .split(","));
        Path outDir = Path.of(args.get("out", "target/eval/" + benchmark + "-" + protocol));
        Map<String, String> overrides = Presets.overrides(preset, args);
        int minGroup = (int) args.number("groups", 0, 1, Integer.MAX_VALUE);
        long started = System.nanoTime();
        List<String> trainSpecs =
                args.has("train") ? List.of(args.get("train", "").split(",")) : List.of();
        if (trainSpecs.contains(benchmark)) {
            throw new Args.UsageException(
                    "transfer or CV must not add the evaluated benchmark " + benchmark + " to --train");
        }
        if (protocol.equals("transfer") && !args.has("router") && trainSpecs.isEmpty()) {
            throw new Args.UsageException("transfer needs --train (data sets other than the benchmark)");
        }
        try (Router given = args.has("router") ? RouterLoader.load(args.get("router", "")) : null;
                Workspace ws = given != null
                        ? Workspace.forRouter(args, log, given)
                        : new Workspace(args, log, preset != null ? preset.encoder() : "minilm")) {
            List<ScoredAnswer> all = ws.load(benchmark).scored();
            List<ScoredAnswer> data = all.stream()
                    .filter(a -> a.scores().containsKey(strong) && a.scores().containsKey(weak))
                    .toList();
            log.printf("benchmark %s: %d prompts with both %s and %s%n", benchmark, data.size(), strong, weak);
            List<String> prompts = data.stream().map(ScoredAnswer::prompt).toList();
            // The routers trained here read these vectors; a given router is scored by ws.score.
            Map<String, float[]> benchVectors = given == null ? ws.vectors(prompts) : Map.of();
            float[][] vectors = prompts.stream().map(benchVectors::get).toArray(float[][]::new);
            double[] s = data.stream().mapToDouble(a -> a.scores().get(strong)).toArray();
            double[] w = data.stream().mapToDouble(a -> a.scores().get(weak)).toArray();

            List<RoutingEvaluation.Result> results = new ArrayList<>();
            Map<String, double[]> scored = new LinkedHashMap<>();
            String label =
                    args.has("router") ? "given router" : protocol.equals("cv") ? folds + "-fold CV" : "transfer";
            if (given != null) {
                double[] scores = ws.score(given, prompts);
                String name = given.info().kind() + " " + given.info().version();
                scored.put(name, scores);
                results.add(RoutingEvaluation.evaluate(
                        name, "given router (" + inSample(given, benchmark) + ")", s, w, scores));
            } else if (protocol.equals("transfer")) {
                Set<String> benchPrompts = new HashSet<>(prompts);
                List<Battle> battles = new ArrayList<>();
                Map<String, String> sourceOf = new HashMap<>();
                Map<String, Double> meanScores = new HashMap<>();
                for (String spec : trainSpecs) {
                    Workspace.Loaded loaded = ws.load(spec);
                    battles.addAll(loaded.battles());
                    battles.addAll(TrainingData.battles(loaded.scored()));
                    battles.forEach(b -> sourceOf.putIfAbsent(b.prompt(), spec));
                    TrainingData.meanScores(loaded.scored()).forEach(meanScores::putIfAbsent);
                }
                int before = battles.size();
                battles.removeIf(b -> benchPrompts.contains(b.prompt()));
                log.printf(
                        "transfer: %d training battles from %s (%d dropped: prompt also in %s)%n",
                        battles.size(), trainSpecs, before - battles.size(), benchmark);
                BattleSet set = BattleSet.of(
                                battles,
                                ws.vectors(battles.stream().map(Battle::prompt).toList()))
                        .withSources(sourceOf::get)
                        .withMeanScores(meanScores::get);
                for (String kind : kinds) {
                    TrainedHead head =
                            RouterTraining.train(kind, set, strong, weak, seed, overrides, m -> log.println("  " + m));
                    double[] scores = head.score(prompts, vectors, strong, weak);
                    scored.put(kind, scores);
                    results.add(RoutingEvaluation.evaluate(
                            kind, "transfer from " + String.join("+", trainSpecs), s, w, scores));
                    log.printf("  %s done%n", kind);
                }
            } else {
                int[] fold = Folds.assign(data.size(), folds, seed);
                List<Battle> extra = new ArrayList<>();
                List<String> extraSpecs = trainSpecs;
                Map<String, String> sourceOf = new HashMap<>();
                prompts.forEach(p -> sourceOf.put(p, benchmark));
                // only training prompts are looked up: a held-out prompt's mean score never reaches a fold's router
                Map<String, Double> meanScores = new HashMap<>(TrainingData.meanScores(data));
                for (String spec : extraSpecs) {
                    Workspace.Loaded loaded = ws.load(spec);
                    extra.addAll(loaded.battles());
                    extra.addAll(TrainingData.battles(loaded.scored()));
                    extra.forEach(b -> sourceOf.putIfAbsent(b.prompt(), spec));
                    TrainingData.meanScores(loaded.scored()).forEach(meanScores::putIfAbsent);
                }
                Set<String> benchPrompts = new HashSet<>(prompts);
                extra.removeIf(b -> benchPrompts.contains(b.prompt()));
                Map<String, float[]> extraVectors =
                        ws.vectors(extra.stream().map(Battle::prompt).toList());
                extraVectors.putAll(benchVectors);
                for (String kind : kinds) {
                    double[] scores = new double[data.size()];
                    Progress progress = Progress.forStderr(
                            new java.io.PrintWriter(log, true), "eval " + kind, "folds", Duration.ZERO, () -> folds);
                    for (int f = 0; f < folds; f++) {
                        List<ScoredAnswer> train = new ArrayList<>();
                        List<Integer> held = new ArrayList<>();
                        for (int i = 0; i < data.size(); i++) {
                            if (fold[i] == f) {
                                held.add(i);
                            } else {
                                train.add(data.get(i));
                            }
                        }
                        List<Battle> battles = new ArrayList<>(extra);
                        battles.addAll(TrainingData.battles(train));
                        BattleSet set = BattleSet.of(battles, extraVectors)
                                .withSources(sourceOf::get)
                                .withMeanScores(meanScores::get);
                        TrainedHead head = RouterTraining.train(kind, set, strong, weak, seed + f, overrides, m -> {});
                        float[][] heldVectors =
                                held.stream().map(i -> vectors[i]).toArray(float[][]::new);
                        List<String> heldPrompts =
                                held.stream().map(i -> prompts.get(i)).toList();
                        double[] heldScores = head.score(heldPrompts, heldVectors, strong, weak);
                        for (int k = 0; k < held.size(); k++) {
                            scores[held.get(k)] = heldScores[k];
                        }
                        progress.update(f + 1, folds, "");
                    }
                    progress.close();
                    String trainedOn = extraSpecs.isEmpty() ? label : label + " + " + String.join("+", extraSpecs);
                    scored.put(kind, scores);
                    results.add(RoutingEvaluation.evaluate(kind, trainedOn, s, w, scores));
                }
                if (data.stream().map(ScoredAnswer::group).distinct().count() > 1) {
                    results.add(RoutingEvaluation.evaluate(
                            "group-lookup", label, s, w, groupLookup(data, fold, folds, s, w)));
                }
            }
            scored.put("length", new LengthRouter().scoreBatch(prompts));
            results.add(RoutingEvaluation.evaluate("length", "no training", s, w, scored.get("length")));
            results.add(RoutingEvaluation.evaluate(
                    "random (seed 0)", "no training", s, w, new RandomRouter(0).scoreBatch(prompts)));
            results.add(RoutingEvaluation.random(s, w));
            results.add(RoutingEvaluation.optimal(s, w));
            List<GroupReport> groups = minGroup > 0 ? groups(data, s, w, scored, minGroup) : List.of();
            double seconds = (System.nanoTime() - started) / 1e9;
            write(outDir, benchmark, label, strong, weak, results, groups, seconds);
            io.kroute.router.report.EvalReport.write(
                    outDir.resolve("report.html"),
                    args.commandLine(),
                    benchmark,
                    label,
                    strong,
                    weak,
                    results,
                    CurvePlot.svgBeside(outDir.resolve("curve.png")),
                    given != null
                            ? "A given router: " + inSample(given, benchmark) + "."
                            : protocol.equals("cv")
                                    ? "Held out: each prompt is scored by a router trained on the other folds only."
                                    : "Held out: the routers trained on " + String.join(", ", trainSpecs)
                                            + " only; any training prompt also in " + benchmark + " was dropped.",
                    seconds);
            if (args.has("record-in")) {
                record(Path.of(args.get("record-in", "")), benchmark, results, out);
            }
            printTable(out, benchmark, label, strong, weak, results, seconds, outDir);
            if (minGroup > 0) {
                printGroups(out, groups, scored.keySet(), minGroup);
            }
        }
        return 0;
    }

    /**
     * Writes the held-out metrics of the router's kind (same recipe, evaluated under this protocol) into a router
     * directory's model card, keyed by benchmark and protocol.
     */
    private static void record(Path dir, String benchmark, List<RoutingEvaluation.Result> results, PrintStream out)
            throws Exception {
        io.kroute.router.ModelCard card =
                io.kroute.router.ModelCard.fromJson(Files.readAllBytes(dir.resolve(io.kroute.router.ModelCard.FILE)));
        Map<String, Object> metrics = new TreeMap<>(card.metrics() == null ? Map.of() : card.metrics());
        for (RoutingEvaluation.Result r : results) {
            if (r.router().equals(card.kind())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("protocol", r.protocol());
                m.put("prompts", r.prompts());
                m.put("apgr", r.apgr());
                m.put("cpt50", r.cpt50());
                m.put("cpt80", r.cpt80());
                m.put("auc", r.auc());
                metrics.put(benchmark + " / " + r.protocol(), m);
                out.printf("recorded %s %s metrics in %s%n", benchmark, r.protocol(), dir);
            }
        }
        Files.write(
                dir.resolve(io.kroute.router.ModelCard.FILE),
                card.withMetrics(metrics).toJson());
    }

    private static String inSample(Router router, String benchmark) {
        if (router instanceof TrainedRouter t && t.card().trainingData() != null) {
            boolean seen =
                    t.card().trainingData().stream().anyMatch(d -> d.name().equals(benchmark));
            if (seen) {
                return "IN-SAMPLE: trained on " + benchmark;
            }
            boolean samePrompts = benchmark.equals("gsm8k-gpt3")
                    && t.card().trainingData().stream().anyMatch(d -> d.name().equals("gsm8k"));
            return samePrompts
                    ? "prompts IN-SAMPLE (trained on gsm8k's labels for the same questions), these labels not"
                    : "transfer: not trained on " + benchmark;
        }
        return "untrained";
    }

    /**
     * APGR of each router within one group of prompts (an MMLU subject, a RouterBench task). The group lookup is left
     * out: it is constant inside a group.
     */
    record GroupReport(String group, int prompts, double strongScore, double weakScore, Map<String, Double> apgr) {}

    /**
     * Every group with at least {@code minPrompts} prompts, largest first; a group in which the two models score the
     * same has no gap to recover and gets no APGR (NaN).
     */
    static List<GroupReport> groups(
            List<ScoredAnswer> data, double[] s, double[] w, Map<String, double[]> scored, int minPrompts) {
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            members.computeIfAbsent(data.get(i).group(), g -> new ArrayList<>()).add(i);
        }
        List<GroupReport> out = new ArrayList<>();
        members.forEach((group, rows) -> {
            if (rows.size() < minPrompts) {
                return;
            }
            double[] gs = rows.stream().mapToDouble(i -> s[i]).toArray();
            double[] gw = rows.stream().mapToDouble(i -> w[i]).toArray();
            double strongScore = Arrays.stream(gs).average().orElse(0);
            double weakScore = Arrays.stream(gw).average().orElse(0);
            Map<String, Double> apgr = new LinkedHashMap<>();
            scored.forEach((router, scores) -> apgr.put(
                    router,
                    Math.abs(strongScore - weakScore) < 1e-12
                            ? Double.NaN
                            : RoutingEvaluation.evaluate(
                                            router,
                                            group,
                                            gs,
                                            gw,
                                            rows.stream()
                                                    .mapToDouble(i -> scores[i])
                                                    .toArray())
                                    .apgr()));
            out.add(new GroupReport(group, rows.size(), strongScore, weakScore, apgr));
        });
        out.sort(Comparator.comparingInt(GroupReport::prompts).reversed());
        return out;
    }

    /** Each prompt gets the mean strong-minus-weak gain of its group (MMLU subject) in the training folds. */
    static double[] groupLookup(List<ScoredAnswer> data, int[] fold, int folds, double[] s, double[] w) {
        double[] scores = new double[data.size()];
        for (int f = 0; f < folds; f++) {
            Map<String, double[]> sums = new HashMap<>();
            for (int i = 0; i < data.size(); i++) {
                if (fold[i] != f) {
                    double[] acc = sums.computeIfAbsent(data.get(i).group(), g -> new double[2]);
                    acc[0] += s[i] - w[i];
                    acc[1]++;
                }
            }
            for (int i = 0; i < data.size(); i++) {
                if (fold[i] == f) {
                    double[] acc = sums.get(data.get(i).group());
                    scores[i] = acc == null ? 0 : acc[0] / acc[1];
                }
            }
        }
        return scores;
    }

    private static void write(
            Path dir,
            String benchmark,
            String protocol,
            String strong,
            String weak,
            List<RoutingEvaluation.Result> results,
            List<GroupReport> groups,
            double seconds)
            throws Exception {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", benchmark);
        root.put("protocol", protocol);
        root.put("strong", strong);
        root.put("weak", weak);
        root.put("seconds", seconds);
        ArrayNode routers = root.putArray("routers");
        for (RoutingEvaluation.Result r : results) {
            ObjectNode node = routers.addObject();
            node.put("router", r.router());
            node.put("protocol", r.protocol());
            node.put("prompts", r.prompts());
            node.put("apgr", r.apgr());
            node.put("cpt50", r.cpt50());
            node.put("cpt80", r.cpt80());
            node.put("auc", r.auc());
            node.put("strong_score", r.strongScore());
            node.put("weak_score", r.weakScore());
            ArrayNode curve = node.putArray("curve");
            for (RoutingEvaluation.Point p : r.curve()) {
                ObjectNode point = curve.addObject();
                if (Double.isFinite(p.threshold())) {
                    point.put("threshold", p.threshold());
                }
                point.put("strong_share", p.strongShare());
                point.put("quality", p.quality());
            }
        }
        if (!groups.isEmpty()) {
            ArrayNode groupNodes = root.putArray("groups");
            for (GroupReport g : groups) {
                ObjectNode node = groupNodes.addObject();
                node.put("group", g.group());
                node.put("prompts", g.prompts());
                node.put("strong_score", g.strongScore());
                node.put("weak_score", g.weakScore());
                putNumbers(node.putObject("apgr"), g.apgr());
            }
        }
        json.writeValue(dir.resolve("report.json").toFile(), root);
        CurvePlot.write(
                dir.resolve("curve.png"), benchmark + " — " + protocol + " — " + strong + " vs " + weak, results);
    }

    /** Puts each value under its key, NaN (undefined, e.g. both models scored the same) as JSON null. */
    static void putNumbers(ObjectNode node, Map<String, Double> values) {
        values.forEach((key, v) -> {
            if (Double.isNaN(v)) {
                node.putNull(key);
            } else {
                node.put(key, v);
            }
        });
    }

    private static void printTable(
            PrintStream out,
            String benchmark,
            String protocol,
            String strong,
            String weak,
            List<RoutingEvaluation.Result> results,
            double seconds,
            Path dir) {
        out.printf(
                "%s, protocol: %s, strong %s (%.4f) vs weak %s (%.4f), %d prompts%n",
                benchmark,
                protocol,
                strong,
                results.get(0).strongScore(),
                weak,
                results.get(0).weakScore(),
                results.get(0).prompts());
        out.printf("%-18s %-7s %-8s %-8s %-7s  %s%n", "router", "APGR", "CPT(50)", "CPT(80)", "AUC", "trained on");
        for (RoutingEvaluation.Result r : results) {
            out.printf(
                    "%-18s %-7.4f %-8s %-8s %-7.4f  %s%n",
                    r.router(), r.apgr(), pct(r.cpt50()), pct(r.cpt80()), r.auc(), r.protocol());
        }
        out.printf("(%.1f s; report.json, report.html, curve.png and curve.svg in %s)%n", seconds, dir);
    }

    private static void printGroups(
            PrintStream out, List<GroupReport> groups, Collection<String> routers, int minPrompts) {
        out.printf("APGR by group (groups of at least %d prompts; n/a: both models score the same)%n", minPrompts);
        StringBuilder header =
                new StringBuilder(String.format("%-40s %7s %7s %7s", "group", "prompts", "strong", "weak"));
        for (String router : routers) {
            header.append(String.format(" %14s", shorten(router.split(" ")[0], 14)));
        }
        out.println(header);
        for (GroupReport g : groups) {
            StringBuilder row = new StringBuilder(String.format(
                    "%-40s %7d %7.4f %7.4f", shorten(g.group(), 40), g.prompts(), g.strongScore(), g.weakScore()));
            for (String router : routers) {
                double v = g.apgr().get(router);
                row.append(Double.isNaN(v) ? String.format(" %14s", "n/a") : String.format(" %14.4f", v));
            }
            out.println(row);
        }
    }

    private static String shorten(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.1f%%", 100 * v);
    }
}
