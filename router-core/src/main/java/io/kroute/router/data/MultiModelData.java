package io.kroute.router.data;

import io.kroute.router.multi.ModelColumns;
import io.kroute.router.multi.ModelPrice;
import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Prompts with, for each of N models, the quality of its answer, its real cost in USD and its length in tokens: what
 * a performance predictor trains on and what a cost-aware selector is evaluated on. NaN where a value is unknown (an
 * unparsed judgement, a model not run).
 *
 * @param name the data set, e.g. {@code arena}
 * @param quality [prompt][model] on the data set's own scale (Arena: GPT-4 judge 1 to 10; RouterBench: 0 or 1)
 * @param cost [prompt][model] USD of the recorded call
 * @param outputTokens [prompt][model] length of the recorded answer in tokens (estimated from characters)
 * @param promptTokens [prompt] estimated tokens of the prompt
 */
public record MultiModelData(
        String name,
        List<String> ids,
        List<String> prompts,
        List<String> models,
        double[][] quality,
        double[][] cost,
        double[][] outputTokens,
        int[] promptTokens) {

    public static final List<String> NAMES = List.of("arena", "routerbench", "routerbench-train");

    public static MultiModelData load(Path root, String name, PriceTable prices) {
        try {
            return switch (name) {
                case "arena" -> arena(root, prices);
                case "routerbench" -> routerBench(root, "test");
                case "routerbench-train" -> routerBench(root, "train");
                default -> throw new IllegalArgumentException(
                        "many-model data must be one of " + NAMES + ", got '" + name + "'");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The 299 Arena prompts with the GPT-4 judge's score of 16 models' answers; each answer's cost is the model's price
     * (from {@code prices}) on the prompt's and the answer's estimated tokens.
     */
    public static MultiModelData arena(Path root, PriceTable prices) throws IOException {
        List<ScoredAnswer> scored = BenchmarkData.arena(root);
        Map<String, Map<String, Double>> chars = new HashMap<>();
        List<List<String>> rows =
                BenchmarkData.csv(root.resolve("arena-hard-auto-arena-bench-v1").resolve("scores_long.csv"));
        TreeSet<String> modelSet = new TreeSet<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() >= 4) {
                modelSet.add(row.get(1));
                chars.computeIfAbsent("arena/" + row.get(0), k -> new HashMap<>())
                        .put(row.get(1), Double.parseDouble(row.get(3)));
            }
        }
        List<String> models = new ArrayList<>(modelSet);
        List<ModelPrice> price = prices.forModels(models);
        int n = scored.size();
        int m = models.size();
        double[][] quality = new double[n][m];
        double[][] cost = new double[n][m];
        double[][] out = new double[n][m];
        int[] promptTokens = new int[n];
        List<String> ids = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ScoredAnswer a = scored.get(i);
            ids.add(a.id());
            prompts.add(a.prompt());
            promptTokens[i] = Tokens.estimate(a.prompt());
            Map<String, Double> c = chars.getOrDefault(a.id(), Map.of());
            for (int j = 0; j < m; j++) {
                String model = models.get(j);
                quality[i][j] = a.scores().getOrDefault(model, Double.NaN);
                Double answerChars = c.get(model);
                out[i][j] = answerChars == null ? Double.NaN : Tokens.estimateFromChars(answerChars.longValue());
                cost[i][j] = answerChars == null ? Double.NaN : price.get(j).cost(promptTokens[i], out[i][j]);
            }
        }
        return new MultiModelData("arena", ids, prompts, models, quality, cost, out, promptTokens);
    }

    /**
     * RouterBench's ARC-Challenge, MBPP and Winogrande rows of one split (RouterDC's): 11 models, correctness 0/1 and
     * the real USD cost of each call. Local evaluation only: no licence was found.
     */
    public static MultiModelData routerBench(Path root, String split) throws IOException {
        List<String> ids = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<double[]> quality = new ArrayList<>();
        List<double[]> cost = new ArrayList<>();
        List<double[]> out = new ArrayList<>();
        List<String> models = null;
        for (String task : List.of("arc_challenge", "mbpp", "winograde")) {
            List<List<String>> rows =
                    BenchmarkData.csv(root.resolve("routerbench-subset-routerdc/" + task + "_" + split + ".csv.gz"));
            List<String> header = rows.get(0);
            Map<String, Integer> column = new LinkedHashMap<>();
            for (int c = header.indexOf("eval_name") + 1; c < header.size(); c++) {
                String h = header.get(c);
                if (!h.contains("|") && !h.equals("oracle_model_to_route_to")) {
                    column.put(h, c);
                }
            }
            if (models == null) {
                models = new ArrayList<>(new TreeSet<>(column.keySet()));
            }
            int prompt = header.indexOf("prompt");
            int id = header.indexOf("sample_id");
            for (List<String> row : rows.subList(1, rows.size())) {
                double[] q = new double[models.size()];
                double[] c = new double[models.size()];
                double[] o = new double[models.size()];
                for (int j = 0; j < models.size(); j++) {
                    String model = models.get(j);
                    q[j] = number(row, column.getOrDefault(model, -1));
                    c[j] = number(row, header.indexOf(model + "|total_cost"));
                    int answer = header.indexOf(model + "|model_response");
                    o[j] = answer < 0 || answer >= row.size()
                            ? Double.NaN
                            : Tokens.estimate(BenchmarkData.pythonListText(row.get(answer)));
                }
                ids.add("routerbench-" + task + "/" + row.get(id));
                prompts.add(BenchmarkData.pythonListText(row.get(prompt)));
                quality.add(q);
                cost.add(c);
                out.add(o);
            }
        }
        int[] promptTokens = prompts.stream().mapToInt(Tokens::estimate).toArray();
        return new MultiModelData(
                split.equals("test") ? "routerbench" : "routerbench-train",
                ids,
                prompts,
                models,
                quality.toArray(double[][]::new),
                cost.toArray(double[][]::new),
                out.toArray(double[][]::new),
                promptTokens);
    }

    private static double number(List<String> row, int column) {
        if (column < 0 || column >= row.size() || row.get(column).isBlank()) {
            return Double.NaN;
        }
        return Double.parseDouble(row.get(column));
    }

    public int size() {
        return prompts.size();
    }

    /** The rows at these indexes. */
    public MultiModelData rows(int[] index) {
        List<String> i2 = new ArrayList<>();
        List<String> p2 = new ArrayList<>();
        double[][] q = new double[index.length][];
        double[][] c = new double[index.length][];
        double[][] o = new double[index.length][];
        int[] t = new int[index.length];
        for (int k = 0; k < index.length; k++) {
            int i = index[k];
            i2.add(ids.get(i));
            p2.add(prompts.get(i));
            q[k] = quality[i];
            c[k] = cost[i];
            o[k] = outputTokens[i];
            t[k] = promptTokens[i];
        }
        return new MultiModelData(name, i2, p2, models, q, c, o, t);
    }

    /** The same rows with only these models (in this order). */
    public MultiModelData withModels(List<String> keep) {
        int[] col = new int[keep.size()];
        for (int j = 0; j < col.length; j++) {
            col[j] = models.indexOf(keep.get(j));
            if (col[j] < 0) {
                throw new IllegalArgumentException(
                        "model '" + keep.get(j) + "' is not in " + name + "; it has " + models);
            }
        }
        return new MultiModelData(
                name,
                ids,
                prompts,
                List.copyOf(keep),
                ModelColumns.of(quality, col),
                ModelColumns.of(cost, col),
                ModelColumns.of(outputTokens, col),
                promptTokens);
    }

    /** The rows where every model has a quality and a cost: where the selector, every single model and the oracle
     * can all be scored. */
    public MultiModelData complete() {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            boolean all = true;
            for (int j = 0; j < models.size(); j++) {
                all &= !Double.isNaN(quality[i][j]) && !Double.isNaN(cost[i][j]);
            }
            if (all) {
                keep.add(i);
            }
        }
        return rows(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Each model's mean answer length in tokens over the rows where it is known. */
    public double[] meanOutputTokens() {
        double[] out = new double[models.size()];
        for (int j = 0; j < out.length; j++) {
            double s = 0;
            int k = 0;
            for (double[] row : outputTokens) {
                if (!Double.isNaN(row[j])) {
                    s += row[j];
                    k++;
                }
            }
            out[j] = k == 0 ? Double.NaN : s / k;
        }
        return out;
    }
}
