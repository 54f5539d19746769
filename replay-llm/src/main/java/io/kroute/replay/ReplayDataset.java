package io.kroute.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Recorded answers to benchmark prompts, bundled as {@code replay/<benchmark>.jsonl.gz} (see NOTICE for the sources):
 *
 * <ul>
 *   <li>{@code gsm8k} and {@code mmlu}: RouteLLM's recorded results of GPT-4-1106 (strong) and Mixtral-8x7B (weak),
 *       graded right or wrong, without the prompts RouteLLM marked as contaminated;
 *   <li>{@code arena}: 299 Chatbot Arena prompts (arena-bench-v1) with the answers of 16 models and a GPT-4 judge's
 *       1-10 score for each.
 * </ul>
 */
public final class ReplayDataset {

    public static final String STRONG_MODEL = "gpt-4-1106-preview";
    public static final String WEAK_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    public static final String GSM8K = "gsm8k";
    public static final String MMLU = "mmlu";
    public static final String ARENA = "arena";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile ReplayDataset bundled;

    private final Map<String, Benchmark> byBenchmark;
    private final Map<String, ReplayItem> byPrompt;
    private final List<String> models;

    private ReplayDataset(Map<String, Benchmark> byBenchmark) {
        this.byBenchmark = Map.copyOf(byBenchmark);
        Map<String, ReplayItem> index = new HashMap<>();
        // MMLU repeats a few questions across subjects; the first one read wins, so lookups are deterministic.
        byBenchmark.values().forEach(b -> b.items().forEach(item -> index.putIfAbsent(key(item.prompt()), item)));
        this.byPrompt = index;
        Set<String> all = new LinkedHashSet<>();
        byBenchmark.values().forEach(b -> all.addAll(b.models()));
        this.models = List.copyOf(all);
    }

    /** The dataset shipped in this jar; read once (about a second), then shared. */
    public static ReplayDataset loadBundled() {
        ReplayDataset result = bundled;
        if (result == null) {
            synchronized (ReplayDataset.class) {
                result = bundled;
                if (result == null) {
                    Map<String, Benchmark> benchmarks = new LinkedHashMap<>();
                    for (String benchmark : List.of(GSM8K, MMLU, ARENA)) {
                        benchmarks.put(benchmark, readResource("replay/" + benchmark + ".jsonl.gz"));
                    }
                    result = new ReplayDataset(benchmarks);
                    bundled = result;
                }
            }
        }
        return result;
    }

    /** The items of {@code gsm8k}, {@code mmlu} or {@code arena}, in source order. */
    public List<ReplayItem> items(String benchmark) {
        return benchmark(benchmark).items();
    }

    /**
     * The models with recorded answers on {@code benchmark}, in source order: for {@code arena} the 16 models the
     * judge scored, named as the source names them (e.g. {@code claude-2}, {@code mistralai/Mixtral-8x7B-Instruct-v0.1}).
     */
    public List<String> models(String benchmark) {
        return benchmark(benchmark).models();
    }

    /** Every model with a recorded answer on some benchmark: the models the replay endpoint answers as. */
    public List<String> models() {
        return models;
    }

    private Benchmark benchmark(String name) {
        Benchmark benchmark = byBenchmark.get(name);
        if (benchmark == null) {
            throw new IllegalArgumentException("unknown benchmark " + name + ", known: " + byBenchmark.keySet());
        }
        return benchmark;
    }

    /** The item whose prompt equals {@code text}, ignoring leading and trailing whitespace. */
    public Optional<ReplayItem> findByPrompt(String text) {
        return text == null ? Optional.empty() : Optional.ofNullable(byPrompt.get(key(text)));
    }

    private static String key(String prompt) {
        return prompt.strip();
    }

    private static Benchmark readResource(String name) {
        InputStream raw = ReplayDataset.class.getClassLoader().getResourceAsStream(name);
        if (raw == null) {
            throw new IllegalStateException("replay data " + name + " is not on the classpath");
        }
        List<ReplayItem> items = new ArrayList<>();
        Set<String> models = new LinkedHashSet<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode node = MAPPER.readTree(line);
                    // the item keeps its answers unordered; the file's order is the models' order
                    node.get("answers").fieldNames().forEachRemaining(models::add);
                    items.add(parse(node));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay data " + name, e);
        }
        return new Benchmark(List.copyOf(items), List.copyOf(models));
    }

    private static ReplayItem parse(JsonNode node) {
        Map<String, RecordedAnswer> answers = new LinkedHashMap<>();
        node.get("answers").properties().forEach(entry -> {
            JsonNode answer = entry.getValue();
            JsonNode text = answer.get("text");
            String recorded = text == null || text.isNull() ? null : text.asText();
            // GSM8K and MMLU record correctness, Arena a judge score (null when the judge's output was unreadable)
            JsonNode correct = answer.get("correct");
            JsonNode score = answer.get("score");
            answers.put(
                    entry.getKey(),
                    correct != null
                            ? RecordedAnswer.graded(correct.asBoolean(), recorded)
                            : RecordedAnswer.scored(score == null || score.isNull() ? null : score.asInt(), recorded));
        });
        return new ReplayItem(
                node.get("id").asText(),
                node.get("benchmark").asText(),
                node.get("prompt").asText(),
                answers);
    }

    private record Benchmark(List<ReplayItem> items, List<String> models) {}
}
