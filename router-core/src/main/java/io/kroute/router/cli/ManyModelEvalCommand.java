package io.kroute.router.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.progress.Progress;
import io.kroute.router.data.MultiModelData;
import io.kroute.router.eval.FrontierPlot;
import io.kroute.router.multi.CostModel;
import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.RidgeQuality;
import io.kroute.router.multi.SelectionEvaluation;
import io.kroute.router.train.Folds;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code eval --models ...}: Routoo's evaluation of a performance predictor and the cost-aware selector over N
 * models. k-fold CV trains on k-1 folds of the benchmark (disjoint by prompt); transfer trains on other data sets
 * only. Quality against average cost per prompt for the selector, every single model, their random mixes and the
 * oracle, and the headline figures against the best single model; report.json and a plot beside it.
 */
final class ManyModelEvalCommand {

    /** The curve of a selector that knows each prompt's task (and every model's true mean on it), nothing more. */
    static final String TASK_ORACLE = "task oracle";

    /** Predictors compared: the ridge heads over the prompt vector, and each model's mean (prompt-blind). */
    static final List<String> PREDICTORS = List.of(RidgeQuality.KIND, "mf", "model-means");

    private ManyModelEvalCommand() {}

    static int run(Args args, PrintStream out, PrintStream log) throws Exception {
        String protocol = args.get("protocol", "cv");
        if (!List.of("cv", "transfer", "correct").contains(protocol)) {
            throw new Args.UsageException(
                    "--models evaluates under --protocol cv, transfer or correct, got '" + protocol + "'");
        }
        String benchmark = args.required("benchmark");
        if (!MultiModelData.NAMES.contains(benchmark)) {
            throw new Args.UsageException(
                    "--models needs a data set scored for many models: " + MultiModelData.NAMES + ", got " + benchmark);
        }
        List<String> trainSpecs =
                args.has("train") ? List.of(args.get("train", "").split(",")) : List.of();
        if (!protocol.equals("cv") && trainSpecs.isEmpty()) {
            throw new Args.UsageException(protocol + " needs --train (data sets other than the benchmark)");
        }
        if (protocol.equals("correct") != args.has("serving") || (args.has("serving-names") && !args.has("serving"))) {
            throw new Args.UsageException("--serving (the predictor served, a directory or classpath:BASE) goes with"
                    + " --protocol correct, and correct needs it");
        }
        if (trainSpecs.contains(benchmark)) {
            throw new Args.UsageException(protocol + " must not train on the evaluated benchmark " + benchmark);
        }
        int folds = (int) args.number("folds", 5, 2, 20);
        long seed = (long) args.number("seed", 42, 0, Long.MAX_VALUE);
        double penalty = args.has("penalty") ? args.number("penalty", 1, 1e-6, 1e9) : Double.NaN;
        Path outDir = Path.of(args.get("out", "target/eval/" + benchmark + "-" + protocol + "-models"));
        PriceTable prices = PriceTable.load(args.get("prices", PriceTable.ARENA_2023));
        long started = System.nanoTime();
        try (Workspace ws = new Workspace(args, log, "minilm")) {
            MultiModelData data = MultiModelData.load(ws.dataRoot, benchmark, prices);
            List<String> models = models(args.get("models", "all"), data.models());
            data = data.withModels(models);
            MultiModelData test = data.complete();
            log.printf(
                    "benchmark %s: %d prompts, %d with every one of %d models scored%n",
                    benchmark, data.size(), test.size(), models.size());
            Map<String, float[]> vectors = ws.vectors(data.prompts());
            Map<String, double[][]> predicted = new LinkedHashMap<>();
            double[][] expectedCost;
            String label;
            String main = RidgeQuality.KIND;
            Map<String, Map<String, Double>> measures = Map.of();
            List<Double> penalties = new ArrayList<>();
            List<Integer> ranks = new ArrayList<>();
            if (protocol.equals("cv")) {
                label = folds + "-fold CV";
                int[] fold = Folds.assign(data.size(), folds, seed);
                Map<String, Integer> row = new LinkedHashMap<>();
                for (int i = 0; i < data.size(); i++) {
                    row.put(data.ids().get(i), i);
                }
                for (String p : PREDICTORS) {
                    predicted.put(p, new double[data.size()][]);
                }
                double[][] cost = new double[data.size()][];
                Progress progress = Progress.forStderr(
                        new java.io.PrintWriter(log, true), "eval", "folds", Duration.ZERO, () -> folds);
                for (int f = 0; f < folds; f++) {
                    int[] trainRows = indexes(fold, f, false);
                    int[] heldRows = indexes(fold, f, true);
                    MultiModelData train = data.rows(trainRows);
                    RidgeQuality ridge = RidgeQuality.train(
                            models, matrix(train.prompts(), vectors), train.quality(), penalty, seed + f);
                    penalties.add(ridge.penalty());
                    ranks.add(ridge.rank());
                    MultiModelData held = data.rows(heldRows);
                    double[][] q = ridge.predict(matrix(held.prompts(), vectors));
                    double[] means = means(train.quality());
                    CostModel costs = costModel(train, prices);
                    double[][] mf = io.kroute.router.multi.MfQuality.train(
                                    models,
                                    train.prompts(),
                                    matrix(train.prompts(), vectors),
                                    train.quality(),
                                    seed + f)
                            .predict(matrix(held.prompts(), vectors));
                    for (int k = 0; k < heldRows.length; k++) {
                        predicted.get(RidgeQuality.KIND)[heldRows[k]] = q[k];
                        predicted.get("mf")[heldRows[k]] = mf[k];
                        predicted.get("model-means")[heldRows[k]] = means;
                        cost[heldRows[k]] = costs.expected(held.promptTokens()[k]);
                    }
                    progress.update(
                            f + 1,
                            folds,
                            String.format(Locale.ROOT, "ridge penalty %.3g, rank %d", ridge.penalty(), ridge.rank()));
                }
                progress.close();
                expectedCost = cost;
            } else if (protocol.equals("correct")) {
                MultiModelData train = trainingSets(ws, trainSpecs, models, data, prices, benchmark, log);
                CostModel costs = costModel(train, prices);
                CorrectionProtocol.Outcome outcome =
                        CorrectionProtocol.run(args, ws, data, train, models, costs, seed, log);
                label = outcome.label();
                main = CorrectionProtocol.ALL;
                measures = outcome.measures();
                predicted.putAll(outcome.predicted());
                penalties.addAll(outcome.penalties());
                expectedCost = costs.expected(data.promptTokens());
            } else {
                label = "transfer from " + String.join("+", trainSpecs);
                MultiModelData train = trainingSets(ws, trainSpecs, models, data, prices, benchmark, log);
                Map<String, float[]> trainVectors = ws.vectors(train.prompts());
                RidgeQuality ridge = RidgeQuality.train(
                        models, matrix(train.prompts(), trainVectors), train.quality(), penalty, seed);
                penalties.add(ridge.penalty());
                ranks.add(ridge.rank());
                predicted.put(RidgeQuality.KIND, ridge.predict(matrix(data.prompts(), vectors)));
                predicted.put(
                        "mf",
                        io.kroute.router.multi.MfQuality.train(
                                        models,
                                        train.prompts(),
                                        matrix(train.prompts(), trainVectors),
                                        train.quality(),
                                        seed)
                                .predict(matrix(data.prompts(), vectors)));
                double[] means = means(train.quality());
                predicted.put("model-means", fill(data.size(), means));
                expectedCost = costModel(train, prices).expected(data.promptTokens());
            }
            // evaluate on the complete rows only
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < data.size(); i++) {
                index.putIfAbsent(data.ids().get(i), i);
            }
            int[] testRows = test.ids().stream().mapToInt(index::get).toArray();
            double[][] testCost = pick(expectedCost, testRows);
            List<SelectionEvaluation.Single> singles = SelectionEvaluation.singles(models, test.quality(), test.cost());
            SelectionEvaluation.Single best = SelectionEvaluation.bestSingle(singles);
            Map<String, List<SelectionEvaluation.Point>> curves = new LinkedHashMap<>();
            for (var e : predicted.entrySet()) {
                curves.put(
                        e.getKey(),
                        SelectionEvaluation.tradeOffCurve(
                                pick(e.getValue(), testRows), testCost, test.quality(), test.cost()));
            }
            curves.put("random mix", SelectionEvaluation.upperHull(SelectionEvaluation.points(singles)));
            // With several tasks (RouterBench's three), how far knowing the task alone goes: the sweep on each
            // task's true mean quality and cost per model, an upper bound for any selector that reads only the task.
            List<String> tasks = test.ids().stream()
                    .map(io.kroute.router.data.ScoredAnswer::groupOf)
                    .toList();
            if (new HashSet<>(tasks).size() > 1) {
                curves.put(
                        TASK_ORACLE,
                        SelectionEvaluation.tradeOffCurve(
                                SelectionEvaluation.groupMeans(test.quality(), tasks),
                                SelectionEvaluation.groupMeans(test.cost(), tasks),
                                test.quality(),
                                test.cost()));
            }
            curves.put(
                    "oracle",
                    SelectionEvaluation.tradeOffCurve(test.quality(), test.cost(), test.quality(), test.cost()));
            double seconds = (System.nanoTime() - started) / 1e9;
            Files.createDirectories(outDir);
            writeReport(
                    outDir,
                    benchmark,
                    label,
                    models,
                    test.size(),
                    singles,
                    best,
                    curves,
                    penalties,
                    ranks,
                    seconds,
                    args,
                    main,
                    measures);
            FrontierPlot.write(
                    outDir.resolve("frontier.png"),
                    benchmark + ", " + models.size() + " models (" + label + "): quality against cost",
                    curves,
                    singles);
            io.kroute.router.report.FrontierReport.write(
                    outDir.resolve("report.html"),
                    args.commandLine(),
                    benchmark,
                    label,
                    test.size(),
                    singles,
                    best,
                    curves,
                    outDir.resolve("frontier.svg"),
                    seconds);
            printTable(out, benchmark, label, test.size(), singles, best, curves, outDir, seconds);
        }
        return 0;
    }

    /** The training sets, less any prompt of the evaluated benchmark. */
    private static MultiModelData trainingSets(
            Workspace ws,
            List<String> trainSpecs,
            List<String> models,
            MultiModelData data,
            PriceTable prices,
            String benchmark,
            PrintStream log)
            throws java.io.IOException {
        List<MultiModelData> sets = new ArrayList<>();
        Set<String> testPrompts = new HashSet<>(data.prompts());
        for (String spec : trainSpecs) {
            MultiModelData d = MultiModelData.load(ws.dataRoot, spec, prices).withModels(models);
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                if (!testPrompts.contains(d.prompts().get(i))) {
                    keep.add(i);
                }
            }
            log.printf(
                    "%d training prompts from %s (%d dropped: also in %s)%n",
                    keep.size(), spec, d.size() - keep.size(), benchmark);
            sets.add(d.rows(keep.stream().mapToInt(Integer::intValue).toArray()));
        }
        return concat(sets);
    }

    static List<String> models(String spec, List<String> known) {
        if (spec.equals("all")) {
            return known;
        }
        List<String> out = new ArrayList<>();
        for (String m : spec.split(",")) {
            String name = m.strip();
            if (!known.contains(name)) {
                throw new Args.UsageException("model '" + name + "' is not in the data; it has " + known);
            }
            out.add(name);
        }
        if (out.size() < 2) {
            throw new Args.UsageException("--models needs at least two models, or all");
        }
        return out;
    }

    /** From the price table when it knows every model; else fitted on the training rows' real costs. */
    static CostModel costModel(MultiModelData train, PriceTable prices) {
        if (prices.all().keySet().containsAll(train.models())) {
            return CostModel.fromPrices(train.models(), prices.forModels(train.models()), train.meanOutputTokens());
        }
        return CostModel.fitted(train.models(), train.promptTokens(), train.cost());
    }

    private static double[] means(double[][] quality) {
        int m = quality[0].length;
        double[] sum = new double[m];
        int[] count = new int[m];
        for (double[] row : quality) {
            for (int j = 0; j < m; j++) {
                if (!Double.isNaN(row[j])) {
                    sum[j] += row[j];
                    count[j]++;
                }
            }
        }
        for (int j = 0; j < m; j++) {
            sum[j] = count[j] == 0 ? Double.NEGATIVE_INFINITY : sum[j] / count[j];
        }
        return sum;
    }

    private static double[][] fill(int n, double[] row) {
        double[][] out = new double[n][];
        Arrays.fill(out, row);
        return out;
    }

    private static MultiModelData concat(List<MultiModelData> sets) {
        MultiModelData first = sets.get(0);
        List<String> ids = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<double[]> q = new ArrayList<>();
        List<double[]> c = new ArrayList<>();
        List<double[]> o = new ArrayList<>();
        List<Integer> t = new ArrayList<>();
        for (MultiModelData d : sets) {
            ids.addAll(d.ids());
            prompts.addAll(d.prompts());
            q.addAll(Arrays.asList(d.quality()));
            c.addAll(Arrays.asList(d.cost()));
            o.addAll(Arrays.asList(d.outputTokens()));
            Arrays.stream(d.promptTokens()).forEach(t::add);
        }
        return new MultiModelData(
                first.name(),
                ids,
                prompts,
                first.models(),
                q.toArray(double[][]::new),
                c.toArray(double[][]::new),
                o.toArray(double[][]::new),
                t.stream().mapToInt(Integer::intValue).toArray());
    }

    private static float[][] matrix(List<String> prompts, Map<String, float[]> vectors) {
        return prompts.stream().map(vectors::get).toArray(float[][]::new);
    }

    private static double[][] pick(double[][] a, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = a[rows[i]];
        }
        return out;
    }

    private static int[] indexes(int[] fold, int f, boolean in) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) == in) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void writeReport(
            Path outDir,
            String benchmark,
            String label,
            List<String> models,
            int prompts,
            List<SelectionEvaluation.Single> singles,
            SelectionEvaluation.Single best,
            Map<String, List<SelectionEvaluation.Point>> curves,
            List<Double> penalties,
            List<Integer> ranks,
            double seconds,
            Args args,
            String main,
            Map<String, Map<String, Double>> measures)
            throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        if (!measures.isEmpty()) {
            root.putPOJO("test_measures_on_predictor_scale", measures);
        }
        root.put("benchmark", benchmark);
        root.put("protocol", label);
        root.put("held_out", true);
        root.put("prompts", prompts);
        root.put("models", String.join(",", models));
        root.put("prices", args.get("prices", PriceTable.ARENA_2023));
        root.put("encoder", args.get("encoder", "minilm"));
        root.put("selector", "trade-off: quality - lambda * expected cost, lambda swept");
        root.putPOJO("ridge_penalties", penalties);
        root.putPOJO("ridge_ranks", ranks);
        root.put("penalty_and_rank_chosen_by", "5-fold CV inside each training set");
        root.put("seconds", seconds);
        ObjectNode b = root.putObject("best_single_model");
        b.put("model", best.model());
        b.put("quality", best.quality());
        b.put("cost_usd", best.cost());
        root.put("headline_curve", main);
        SelectionEvaluation.Headline headline = SelectionEvaluation.headline(curves.get(main), best);
        putNumber(root, "cost_share_to_match_best_single", headline.costShareToMatchBestSingle());
        putNumber(root, "quality_at_best_single_cost", headline.qualityAtBestSingleCost());
        root.set("curve", points(json, curves.get(main), models));
        ArrayNode s = root.putArray("single_models");
        for (SelectionEvaluation.Single single : singles) {
            s.addObject()
                    .put("model", single.model())
                    .put("quality", single.quality())
                    .put("cost_usd", single.cost());
        }
        ObjectNode all = root.putObject("curves");
        for (var e : curves.entrySet()) {
            ObjectNode c = all.putObject(e.getKey());
            SelectionEvaluation.Headline h = SelectionEvaluation.headline(e.getValue(), best);
            putNumber(c, "cost_share_to_match_best_single", h.costShareToMatchBestSingle());
            putNumber(c, "quality_at_best_single_cost", h.qualityAtBestSingleCost());
            List<SelectionEvaluation.Point> hull = SelectionEvaluation.upperHull(e.getValue());
            putNumber(c, "quality_at_half_best_single_cost", SelectionEvaluation.qualityAt(hull, 0.5 * best.cost()));
            putNumber(c, "quality_at_tenth_best_single_cost", SelectionEvaluation.qualityAt(hull, 0.1 * best.cost()));
            c.set("points", points(json, e.getValue(), models));
        }
        json.writeValue(outDir.resolve("report.json").toFile(), root);
    }

    private static ArrayNode points(ObjectMapper json, List<SelectionEvaluation.Point> curve, List<String> models) {
        ArrayNode a = json.createArrayNode();
        for (SelectionEvaluation.Point p : curve) {
            ObjectNode n = a.addObject();
            n.put("cost_usd", p.cost());
            n.put("quality", p.quality());
            n.put("setting", p.setting());
            if (p.shares() != null && p.shares().length == models.size()) {
                ObjectNode shares = n.putObject("shares");
                for (int m = 0; m < models.size(); m++) {
                    if (p.shares()[m] > 0) {
                        shares.put(models.get(m), p.shares()[m]);
                    }
                }
            }
        }
        return a;
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    private static void printTable(
            PrintStream out,
            String benchmark,
            String label,
            int prompts,
            List<SelectionEvaluation.Single> singles,
            SelectionEvaluation.Single best,
            Map<String, List<SelectionEvaluation.Point>> curves,
            Path outDir,
            double seconds) {
        out.printf(Locale.ROOT, "%s, %s, %d prompts with every model scored%n%n", benchmark, label, prompts);
        out.printf(Locale.ROOT, "%-38s %10s %14s%n", "single model", "quality", "USD / 1k calls");
        singles.stream()
                .sorted(java.util.Comparator.comparingDouble(SelectionEvaluation.Single::cost))
                .forEach(
                        s -> out.printf(Locale.ROOT, "%-38s %10.3f %14.4f%n", s.model(), s.quality(), 1000 * s.cost()));
        out.printf(
                Locale.ROOT,
                "%nbest single model: %s, quality %.3f at %.4f USD / 1k calls%n%n",
                best.model(),
                best.quality(),
                1000 * best.cost());
        out.printf(
                Locale.ROOT,
                "%-30s %16s %14s %14s %14s%n",
                "curve",
                "cost to match",
                "quality at",
                "at 50% of",
                "at 10% of");
        out.printf(
                Locale.ROOT,
                "%-30s %16s %14s %14s %14s%n",
                "",
                "best (share)",
                "best's cost",
                "best's cost",
                "best's cost");
        for (var e : curves.entrySet()) {
            SelectionEvaluation.Headline h = SelectionEvaluation.headline(e.getValue(), best);
            List<SelectionEvaluation.Point> hull = SelectionEvaluation.upperHull(e.getValue());
            out.printf(
                    Locale.ROOT,
                    "%-30s %16s %14.3f %14.3f %14.3f%n",
                    e.getKey(),
                    Double.isNaN(h.costShareToMatchBestSingle())
                            ? "never"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * h.costShareToMatchBestSingle()),
                    h.qualityAtBestSingleCost(),
                    SelectionEvaluation.qualityAt(hull, 0.5 * best.cost()),
                    SelectionEvaluation.qualityAt(hull, 0.1 * best.cost()));
        }
        out.printf(
                Locale.ROOT, "%nwrote %s/report.json, report.html and frontier.png/.svg (%.0f s)%n", outDir, seconds);
    }
}
