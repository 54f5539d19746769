package io.kroute.router.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One source of labelled prompts for RouteLLM's pair as the leave-one-out protocol sees it: a named data set (or one
 * task of it), the names its files give GPT-4-1106 and Mixtral-8x7B, and whether its labels may train a shipped
 * router. AlpacaEval and RouterBench name the pair differently (AlpacaEval has only Mixtral's concise run); the names
 * are the ones {@code eval --benchmark} has always been given for them.
 *
 * @param dataset the {@link BenchmarkData} name that holds the prompts
 * @param idPrefix only prompts whose id starts with this (a RouterBench task), or null for all
 * @param shippable false for data that may be read for local evaluation only (licence)
 */
public record RoutingSource(
        String name, String dataset, String idPrefix, String strong, String weak, boolean shippable) {

    public static final List<RoutingSource> ALL = List.of(
            new RoutingSource("arena", "arena", null, BenchmarkData.GPT4, BenchmarkData.MIXTRAL, true),
            new RoutingSource("gsm8k", "gsm8k", null, BenchmarkData.GPT4, BenchmarkData.MIXTRAL, true),
            new RoutingSource("mmlu", "mmlu", null, BenchmarkData.GPT4, BenchmarkData.MIXTRAL, true),
            new RoutingSource(
                    "alpacaeval", "alpacaeval", null, "gpt4_1106_preview", "Mixtral-8x7B-Instruct-v0.1_concise", false),
            routerBench("arc-challenge", "arc_challenge"),
            routerBench("mbpp", "mbpp"),
            routerBench("winogrande", "winograde"));

    private static RoutingSource routerBench(String task, String file) {
        return new RoutingSource(
                "routerbench/" + task,
                "routerbench",
                "routerbench-" + file + "/",
                BenchmarkData.GPT4,
                "mistralai/mixtral-8x7b-chat",
                false);
    }

    public static List<String> names() {
        return ALL.stream().map(RoutingSource::name).toList();
    }

    public static Optional<RoutingSource> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** This source's rows of its data set, as loaded (every model's scores kept). */
    public List<ScoredAnswer> rows(List<ScoredAnswer> dataset) {
        return idPrefix == null
                ? dataset
                : dataset.stream().filter(a -> a.id().startsWith(idPrefix)).toList();
    }

    /** The rows that score both models of the pair: what the source is evaluated on. */
    public List<ScoredAnswer> evaluated(List<ScoredAnswer> dataset) {
        return rows(dataset).stream()
                .filter(a -> a.scores().containsKey(strong) && a.scores().containsKey(weak))
                .toList();
    }

    /**
     * The rows as training data for RouteLLM's pair: a source that names the pair as {@link BenchmarkData} does keeps
     * every model's scores (Arena's 16 models); another keeps only the pair, under RouteLLM's names, since its other
     * models are not the ones the shippable sources name.
     */
    public List<ScoredAnswer> training(List<ScoredAnswer> dataset) {
        if (strong.equals(BenchmarkData.GPT4) && weak.equals(BenchmarkData.MIXTRAL)) {
            return rows(dataset);
        }
        List<ScoredAnswer> out = new ArrayList<>();
        for (ScoredAnswer a : evaluated(dataset)) {
            out.add(new ScoredAnswer(
                    a.id(),
                    a.prompt(),
                    Map.of(
                            BenchmarkData.GPT4,
                            a.scores().get(strong),
                            BenchmarkData.MIXTRAL,
                            a.scores().get(weak))));
        }
        return out;
    }
}
