package io.kroute.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.replay.RecordedAnswer;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.router.eval.FrontierPlot;
import io.kroute.router.multi.SelectionEvaluation;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.ResponseStatus;
import io.kroute.stream.ModelQueue;
import io.kroute.workers.ModelPrice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the many-model demo measured: per model the calls, cost and GPT-4 judge score of the answers the run got; the
 * run's totals; and on the same prompts what each single model would have cost (the replay's own token accounting
 * times the workers' prices) and scored, the random mixes of single models and the oracle at the run's cost. Scores
 * are averaged over the prompts where every chosen model has one (the judge left a few unparsed).
 */
record ManyModelSummary(
        int prompts,
        int scoredPrompts,
        int answered,
        int fallbacks,
        int deadLetters,
        int duplicates,
        String predictor,
        String selector,
        List<ModelRow> models,
        double costUsd,
        double scoredCostUsd,
        double quality,
        SelectionEvaluation.Single bestSingle,
        double randomMixQualityAtRunCost,
        double oracleQualityAtRunCost,
        List<SelectionEvaluation.Single> singles) {

    /** One model: what the run sent it, and what it would have done alone on every prompt. */
    record ModelRow(
            String queue,
            String model,
            int calls,
            double costUsd,
            double quality,
            double aloneCostUsd,
            double aloneQuality) {}

    static ManyModelSummary compute(
            ReplayDataset dataset,
            Map<String, ReplayItem> byId,
            Map<String, Outcome> outcomes,
            Map<String, Integer> duplicateCounts,
            List<ModelQueue> queues,
            Map<String, ModelPrice> prices,
            int maxTokens,
            String predictor,
            String selector) {
        ReplayCosts costs = new ReplayCosts(dataset, prices);
        List<String> models = queues.stream().map(ModelQueue::model).toList();
        List<String> ids = new ArrayList<>(byId.keySet());
        // the prompts every chosen model has a judge score on
        List<String> scored = new ArrayList<>();
        for (String id : ids) {
            ReplayItem item = byId.get(id);
            if (models.stream().allMatch(m -> score(item, m) != null)) {
                scored.add(id);
            }
        }
        int m = models.size();
        double[][] quality = new double[scored.size()][m];
        double[][] cost = new double[scored.size()][m];
        for (int i = 0; i < scored.size(); i++) {
            ReplayItem item = byId.get(scored.get(i));
            for (int j = 0; j < m; j++) {
                quality[i][j] = score(item, models.get(j));
                cost[i][j] = costs.costUsd(models.get(j), item, maxTokens);
            }
        }
        List<SelectionEvaluation.Single> singles = SelectionEvaluation.singles(models, quality, cost);
        int[] calls = new int[m];
        double[] spent = new double[m];
        double[] scoreSum = new double[m];
        int[] scoredCalls = new int[m];
        int answered = 0;
        int fallbacks = 0;
        int dead = 0;
        double runCost = 0;
        double runQuality = 0;
        double runScoredCost = 0;
        java.util.Set<String> scoredIds = new java.util.HashSet<>(scored);
        for (String id : ids) {
            Outcome outcome = outcomes.get(id);
            if (outcome == null) {
                continue;
            }
            if (!outcome.answered()) {
                dead++;
                continue;
            }
            LlmResponse r = outcome.response();
            answered++;
            if (r.status() == ResponseStatus.FALLBACK) {
                fallbacks++;
            }
            int j = models.indexOf(r.model());
            runCost += r.costUsd();
            if (j >= 0) {
                calls[j]++;
                spent[j] += r.costUsd();
                Double s = score(byId.get(id), r.model());
                if (s != null) {
                    scoreSum[j] += s;
                    scoredCalls[j]++;
                }
            }
            if (scoredIds.contains(id)) {
                Double s = score(byId.get(id), r.model());
                runQuality += s == null ? 0 : s;
                runScoredCost += r.costUsd();
            }
        }
        List<ModelRow> rows = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            rows.add(new ModelRow(
                    queues.get(j).queue(),
                    models.get(j),
                    calls[j],
                    spent[j],
                    scoredCalls[j] == 0 ? Double.NaN : scoreSum[j] / scoredCalls[j],
                    singles.get(j).cost() * scored.size(),
                    singles.get(j).quality()));
        }
        double perPrompt = scored.isEmpty() ? Double.NaN : runScoredCost / scored.size();
        List<SelectionEvaluation.Point> mixes = SelectionEvaluation.upperHull(SelectionEvaluation.points(singles));
        List<SelectionEvaluation.Point> oracle =
                SelectionEvaluation.upperHull(SelectionEvaluation.tradeOffCurve(quality, cost, quality, cost));
        int duplicates =
                duplicateCounts.values().stream().mapToInt(Integer::intValue).sum();
        return new ManyModelSummary(
                ids.size(),
                scored.size(),
                answered,
                fallbacks,
                dead,
                duplicates,
                predictor,
                selector,
                rows,
                runCost,
                runScoredCost,
                scored.isEmpty() ? Double.NaN : runQuality / scored.size(),
                SelectionEvaluation.bestSingle(singles),
                SelectionEvaluation.qualityAt(mixes, perPrompt),
                SelectionEvaluation.qualityAt(oracle, perPrompt),
                singles);
    }

    /** The recorded GPT-4 judge score (1 to 10) of a model's answer, or null when the judge gave none. */
    private static Double score(ReplayItem item, String model) {
        RecordedAnswer a = item.answer(model).orElse(null);
        return a == null || a.quality() == null ? null : a.quality() * 10;
    }

    void print(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%nmany models: %d held-out Arena prompts, %d models; predictor %s, selector %s%n",
                prompts,
                models.size(),
                predictor,
                selector);
        out.printf(
                Locale.ROOT,
                "outcomes: %d answered (%d by a fallback), %d dead letters, %d duplicates%n%n",
                answered,
                fallbacks,
                deadLetters,
                duplicates);
        out.printf(
                Locale.ROOT,
                "%-40s %6s %10s %8s   %12s %8s%n",
                "model (queue)",
                "calls",
                "cost USD",
                "score",
                "alone: USD",
                "score");
        for (ModelRow r : models) {
            out.printf(
                    Locale.ROOT,
                    "%-40s %6d %10.4f %8s   %12.4f %8.2f%n",
                    r.model(),
                    r.calls(),
                    r.costUsd(),
                    Double.isNaN(r.quality()) ? "-" : String.format(Locale.ROOT, "%.2f", r.quality()),
                    r.aloneCostUsd(),
                    r.aloneQuality());
        }
        double bestTotal = bestSingle.cost() * scoredPrompts;
        out.printf(
                Locale.ROOT,
                "%nthis run: %.4f USD in all; on the %d prompts every model has a judge score on, %.4f USD and score %.2f%n",
                costUsd,
                scoredPrompts,
                scoredCostUsd,
                quality);
        out.printf(
                Locale.ROOT,
                "best single model there, %s: %.4f USD, score %.2f: the run cost %.1f%% of it%n",
                bestSingle.model(),
                bestTotal,
                bestSingle.quality(),
                100 * scoredCostUsd / bestTotal);
        out.printf(
                Locale.ROOT,
                "at the run's cost: random mixes of single models score %.2f, the oracle %.2f%n",
                randomMixQualityAtRunCost,
                oracleQualityAtRunCost);
    }

    void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("benchmark", "arena");
        root.put("held_out", true);
        root.put("prompts", prompts);
        root.put("scored_prompts", scoredPrompts);
        root.put("answered", answered);
        root.put("fallbacks", fallbacks);
        root.put("dead_letters", deadLetters);
        root.put("duplicates", duplicates);
        root.put("predictor", predictor);
        root.put("selector", selector);
        root.put("cost_usd", costUsd);
        root.put("quality", quality);
        ObjectNode best = root.putObject("best_single_model");
        best.put("model", bestSingle.model());
        best.put("quality", bestSingle.quality());
        best.put("cost_usd", bestSingle.cost() * scoredPrompts);
        root.put("scored_cost_usd", scoredCostUsd);
        root.put("cost_share_of_best_single", scoredCostUsd / (bestSingle.cost() * scoredPrompts));
        root.put("random_mix_quality_at_run_cost", randomMixQualityAtRunCost);
        root.put("oracle_quality_at_run_cost", oracleQualityAtRunCost);
        ArrayNode rows = root.putArray("models");
        for (ModelRow r : models) {
            ObjectNode n = rows.addObject();
            n.put("queue", r.queue());
            n.put("model", r.model());
            n.put("calls", r.calls());
            n.put("cost_usd", r.costUsd());
            if (!Double.isNaN(r.quality())) {
                n.put("quality", r.quality());
            }
            n.put("alone_cost_usd", r.aloneCostUsd());
            n.put("alone_quality", r.aloneQuality());
        }
        json.writeValue(file.toFile(), root);
    }

    /** {@code report.html}: what was run, held out in words, the models' table and the plot. */
    void html(Path file, String command, Path svg) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("command", command);
        facts.put("predictor", predictor);
        facts.put("selector", selector);
        facts.put("prompts", prompts + " (" + scoredPrompts + " with a judge score for every model)");
        facts.put(
                "outcomes",
                answered + " answered (" + fallbacks + " by a fallback), " + deadLetters + " dead letters, "
                        + duplicates + " duplicates");
        List<List<String>> rows = new ArrayList<>();
        for (ModelRow r : models) {
            rows.add(List.of(
                    r.model(),
                    r.queue(),
                    Integer.toString(r.calls()),
                    String.format(Locale.ROOT, "%.4f", r.costUsd()),
                    Double.isNaN(r.quality()) ? "-" : String.format(Locale.ROOT, "%.2f", r.quality()),
                    String.format(Locale.ROOT, "%.4f", r.aloneCostUsd()),
                    String.format(Locale.ROOT, "%.2f", r.aloneQuality())));
        }
        double bestTotal = bestSingle.cost() * scoredPrompts;
        new io.kroute.router.report.HtmlReport(
                        "kroute many-model demo: " + prompts + " Arena prompts, " + models.size() + " models")
                .facts(facts)
                .note("Out of sample: the shipped predictor was trained without these Arena prompts (DemoHoldout"
                        + " arena-models, 40%). Scores are GPT-4 judge scores (1 to 10) of the recorded answers.")
                .table(
                        "Per model: what the run sent it, and what it would have done alone on every prompt",
                        List.of("model", "queue", "calls", "cost USD", "score", "alone: USD", "alone: score"),
                        rows)
                .paragraph(String.format(
                        Locale.ROOT,
                        "This run: %.4f USD in all; on the %d prompts every model has a score on, %.4f USD and score %.2f."
                                + " Best single model there, %s: %.4f USD and score %.2f (the run cost %.1f%% of it)."
                                + " At the run's cost, random mixes of single models score %.2f and the oracle %.2f.",
                        costUsd,
                        scoredPrompts,
                        scoredCostUsd,
                        quality,
                        bestSingle.model(),
                        bestTotal,
                        bestSingle.quality(),
                        100 * scoredCostUsd / bestTotal,
                        randomMixQualityAtRunCost,
                        oracleQualityAtRunCost))
                .svg("The run beside every single model and their random mixes (USD per 1,000 calls, log scale)", svg)
                .write(file);
    }

    /** The run's point (per scored prompt) beside every single model and their random mixes. */
    void plot(Path png) throws IOException {
        Map<String, List<SelectionEvaluation.Point>> curves = new LinkedHashMap<>();
        curves.put("random mix", SelectionEvaluation.upperHull(SelectionEvaluation.points(singles)));
        FrontierPlot.write(
                png,
                "many-model demo: " + prompts + " held-out Arena prompts",
                curves,
                singles,
                new SelectionEvaluation.Single(
                        "this run (" + selector + ")", scoredCostUsd / Math.max(1, scoredPrompts), quality));
    }
}
