package io.kroute.router.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.router.ModelCard;
import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.DemoHoldout;
import io.kroute.router.data.RoutingSource;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.eval.RoutingEvaluation;
import io.kroute.router.train.BattleSet;
import io.kroute.router.train.RouterTraining;
import io.kroute.router.train.TrainedHead;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code eval --protocol leave-one-out}: {@link LeaveOneOut} over {@link RoutingSource#ALL}, with the router kinds
 * the CLI trains. Training never sees a prompt the demo replays ({@link DemoHoldout}), as for the shipped {@code
 * default}; the held-out source is scored on all its prompts.
 */
final class LeaveOneOutCommand {

    static final String PROTOCOL = "leave-one-out";

    private LeaveOneOutCommand() {}

    static int run(Args args, PrintStream out, PrintStream log) throws Exception {
        if (args.has("router") || args.has("benchmark") || args.has("train") || args.has("folds")) {
            throw new Args.UsageException(
                    "leave-one-out trains on the sources itself: --router, --benchmark, --train and --folds do not apply");
        }
        String trainSources = args.get("train-sources", "shippable");
        if (!trainSources.equals("shippable") && !trainSources.equals("all")) {
            throw new Args.UsageException("--train-sources must be 'shippable' or 'all', got '" + trainSources + "'");
        }
        List<String> heldOut =
                args.has("holdout") ? List.of(args.get("holdout", "").split(",")) : RoutingSource.names();
        for (String name : heldOut) {
            if (RoutingSource.named(name).isEmpty()) {
                throw new Args.UsageException(
                        "--holdout: unknown source '" + name + "', expected some of " + RoutingSource.names());
            }
        }
        Presets.Preset preset = Presets.fromArgs(args);
        List<String> kinds = preset != null
                ? List.of(preset.kind())
                : List.of(args.get("kinds", String.join(",", RouterTraining.KINDS))
                        .split(","));
        Map<String, String> overrides = Presets.overrides(preset, args);
        long seed = (long) args.number("seed", 42, 0, Long.MAX_VALUE);
        Path outDir = Path.of(args.get("out", "target/eval/" + PROTOCOL));
        long started = System.nanoTime();
        try (Workspace ws = new Workspace(args, log, preset != null ? preset.encoder() : "minilm")) {
            Map<String, List<ScoredAnswer>> datasets = new HashMap<>();
            List<LeaveOneOut.Source> sources = new ArrayList<>();
            for (RoutingSource s : RoutingSource.ALL) {
                List<ScoredAnswer> dataset =
                        datasets.computeIfAbsent(s.dataset(), n -> ws.load(n).scored());
                List<ScoredAnswer> training = s.training(dataset).stream()
                        .filter(a -> !DemoHoldout.reserved(s.dataset(), a.prompt()))
                        .toList();
                sources.add(new LeaveOneOut.Source(
                        s.name(), s.shippable(), training, s.evaluated(dataset), s.strong(), s.weak()));
            }
            Set<String> all = new LinkedHashSet<>();
            sources.forEach(s -> {
                s.training().forEach(a -> all.add(a.prompt()));
                s.evaluated().forEach(a -> all.add(a.prompt()));
            });
            log.printf("leave-one-out: encoding %d distinct prompts%n", all.size());
            Map<String, float[]> vectors = ws.vectors(List.copyOf(all));
            LeaveOneOut.Trainer trainer = (kind, training) -> {
                Map<String, String> sourceOf = new HashMap<>();
                training.forEach(a -> sourceOf.putIfAbsent(a.prompt(), a.source()));
                BattleSet set = BattleSet.of(TrainingData.battles(training), vectors)
                        .withSources(sourceOf::get)
                        .withMeanScores(TrainingData.meanScores(training)::get);
                TrainedHead head = RouterTraining.train(
                        kind, set, BenchmarkData.GPT4, BenchmarkData.MIXTRAL, seed, overrides, m -> {});
                return held -> head.score(
                        held,
                        held.stream().map(vectors::get).toArray(float[][]::new),
                        BenchmarkData.GPT4,
                        BenchmarkData.MIXTRAL);
            };
            List<LeaveOneOut.Fold> folds = LeaveOneOut.run(
                    sources, heldOut, trainSources.equals("all"), kinds, trainer, m -> log.println("  " + m));
            List<LeaveOneOut.Summary> summaries = LeaveOneOut.summarise(folds);
            double seconds = (System.nanoTime() - started) / 1e9;
            String label = PROTOCOL + ", trained on " + trainSources + " sources"
                    + (preset != null ? ", preset " + args.get("preset", "") : "")
                    + (overrides.isEmpty() ? "" : ", " + overrides);
            write(outDir, label, trainSources, folds, summaries, seconds);
            print(out, label, ws.encoder().id(), folds, summaries, seconds, outDir);
            if (args.has("record-in")) {
                record(Path.of(args.get("record-in", "")), trainSources, folds, summaries, out);
            }
        }
        return 0;
    }

    private static void print(
            PrintStream out,
            String label,
            String encoder,
            List<LeaveOneOut.Fold> folds,
            List<LeaveOneOut.Summary> summaries,
            double seconds,
            Path dir) {
        out.printf("%s (encoder %s)%n", label, encoder);
        for (LeaveOneOut.Fold f : folds) {
            RoutingEvaluation.Result any = f.results().get(0);
            out.printf(
                    "  %-26s %6d prompts, strong %.4f vs weak %.4f; trained on %s (%d rows)%n",
                    f.heldOut(), any.prompts(), any.strongScore(), any.weakScore(), f.trainedOn(), f.trainingRows());
        }
        for (String metric : List.of("APGR", "CPT(50%)")) {
            StringBuilder header = new StringBuilder(String.format("%-18s", metric));
            for (LeaveOneOut.Fold f : folds) {
                header.append(String.format(" %13s", shorten(f.heldOut())));
            }
            if (metric.equals("APGR")) {
                header.append(String.format(" %7s %7s", "mean", "worst"));
            }
            out.println(header);
            for (LeaveOneOut.Summary s : summaries) {
                StringBuilder row = new StringBuilder(String.format("%-18s", shorten(s.router())));
                Map<String, Double> values = metric.equals("APGR") ? s.apgr() : s.cpt50();
                for (LeaveOneOut.Fold f : folds) {
                    double v = values.get(f.heldOut());
                    row.append(
                            metric.equals("APGR")
                                    ? String.format(" %13.4f", v)
                                    : String.format(
                                            " %13s", Double.isNaN(v) ? "n/a" : String.format("%.1f%%", 100 * v)));
                }
                if (metric.equals("APGR")) {
                    row.append(String.format(" %7.4f %7.4f", s.mean(), s.worst()));
                }
                out.println(row);
            }
            if (metric.equals("APGR")) {
                StringBuilder band = new StringBuilder(String.format("%-18s", "random 90% band"));
                for (LeaveOneOut.Fold f : folds) {
                    band.append(String.format(" %13s", String.format("%.3f-%.3f", f.randomLow(), f.randomHigh())));
                }
                out.println(band);
            }
        }
        out.printf(
                "(random 90%% band: 5th to 95th percentile APGR of %d random orderings of the source's prompts; a router"
                        + " inside it is not told apart from a coin)%n",
                LeaveOneOut.ORDERINGS);
        out.printf("(%.1f s; report.json in %s)%n", seconds, dir);
    }

    private static String shorten(String text) {
        String t = text.replace("routerbench/", "rb/");
        return t.length() <= 18 ? t : t.substring(0, 18);
    }

    private static void write(
            Path dir,
            String label,
            String trainSources,
            List<LeaveOneOut.Fold> folds,
            List<LeaveOneOut.Summary> summaries,
            double seconds)
            throws Exception {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("protocol", PROTOCOL);
        root.put("label", label);
        root.put("train_sources", trainSources);
        root.put("seconds", seconds);
        ArrayNode sourceNodes = root.putArray("sources");
        for (LeaveOneOut.Fold f : folds) {
            RoutingEvaluation.Result any = f.results().get(0);
            ObjectNode node = sourceNodes.addObject();
            node.put("source", f.heldOut());
            node.put("prompts", any.prompts());
            node.put("strong_score", any.strongScore());
            node.put("weak_score", any.weakScore());
            node.putPOJO("trained_on", f.trainedOn());
            node.put("training_rows", f.trainingRows());
            node.put("random_apgr_p05", f.randomLow());
            node.put("random_apgr_p95", f.randomHigh());
        }
        ArrayNode routers = root.putArray("routers");
        for (LeaveOneOut.Summary s : summaries) {
            ObjectNode node = routers.addObject();
            node.put("router", s.router());
            Map<String, Double> apgr = new LinkedHashMap<>(s.apgr());
            apgr.put("mean", s.mean());
            apgr.put("worst", s.worst());
            EvalCommand.putNumbers(node.putObject("apgr"), apgr);
            EvalCommand.putNumbers(node.putObject("cpt50"), s.cpt50());
        }
        json.writeValue(dir.resolve("report.json").toFile(), root);
    }

    /** Writes the trained kind's per-source numbers, mean and worst into a router directory's model card. */
    private static void record(
            Path dir,
            String trainSources,
            List<LeaveOneOut.Fold> folds,
            List<LeaveOneOut.Summary> summaries,
            PrintStream out)
            throws Exception {
        ModelCard card = ModelCard.fromJson(Files.readAllBytes(dir.resolve(ModelCard.FILE)));
        LeaveOneOut.Summary mine = summaries.stream()
                .filter(s -> s.router().equals(card.kind()))
                .findFirst()
                .orElseThrow(() -> new Args.UsageException("--record-in: no " + card.kind() + " row to record"));
        Map<String, Object> perSource = new LinkedHashMap<>();
        for (LeaveOneOut.Fold f : folds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prompts", f.results().get(0).prompts());
            m.put("apgr", mine.apgr().get(f.heldOut()));
            m.put("cpt50", mine.cpt50().get(f.heldOut()));
            m.put("length_apgr", apgrOf(summaries, LeaveOneOut.LENGTH, f.heldOut()));
            m.put("random_apgr_90pct_band", List.of(f.randomLow(), f.randomHigh()));
            m.put("trained_on", f.trainedOn());
            perSource.put(f.heldOut(), m);
        }
        perSource.put("mean", mine.mean());
        perSource.put("worst", mine.worst());
        Map<String, Object> metrics = new TreeMap<>(card.metrics() == null ? Map.of() : card.metrics());
        metrics.put(PROTOCOL + " (training: " + trainSources + " sources less the held-out one)", perSource);
        Files.write(dir.resolve(ModelCard.FILE), card.withMetrics(metrics).toJson());
        out.printf("recorded leave-one-out metrics in %s%n", dir);
    }

    private static double apgrOf(List<LeaveOneOut.Summary> summaries, String router, String source) {
        return summaries.stream()
                .filter(s -> s.router().equals(router))
                .findFirst()
                .map(s -> s.apgr().get(source))
                .orElse(Double.NaN);
    }
}
