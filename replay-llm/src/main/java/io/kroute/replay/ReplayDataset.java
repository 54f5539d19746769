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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * RouteLLM's recorded results of GPT-4-1106 (strong) and Mixtral-8x7B (weak) on GSM8K and MMLU, without the prompts
 * RouteLLM marked as contaminated. Bundled as {@code replay/<benchmark>.jsonl.gz} (see NOTICE for the sources).
 */
public final class ReplayDataset {

    public static final String STRONG_MODEL = "gpt-4-1106-preview";
    public static final String WEAK_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    public static final String GSM8K = "gsm8k";
    public static final String MMLU = "mmlu";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile ReplayDataset bundled;

    private final Map<String, List<ReplayItem>> byBenchmark;
    private final Map<String, ReplayItem> byPrompt;

    private ReplayDataset(Map<String, List<ReplayItem>> byBenchmark) {
        this.byBenchmark = Map.copyOf(byBenchmark);
        Map<String, ReplayItem> index = new HashMap<>();
        // MMLU repeats a few questions across subjects; the first one read wins, so lookups are deterministic.
        byBenchmark.values().forEach(items -> items.forEach(item -> index.putIfAbsent(key(item.prompt()), item)));
        this.byPrompt = index;
    }

    /** The dataset shipped in this jar; read once (about a second), then shared. */
    public static ReplayDataset loadBundled() {
        ReplayDataset result = bundled;
        if (result == null) {
            synchronized (ReplayDataset.class) {
                result = bundled;
                if (result == null) {
                    Map<String, List<ReplayItem>> items = new LinkedHashMap<>();
                    for (String benchmark : List.of(GSM8K, MMLU)) {
                        items.put(benchmark, readResource("replay/" + benchmark + ".jsonl.gz"));
                    }
                    result = new ReplayDataset(items);
                    bundled = result;
                }
            }
        }
        return result;
    }

    /** The items of {@code gsm8k} or {@code mmlu}, in source order. */
    public List<ReplayItem> items(String benchmark) {
        List<ReplayItem> items = byBenchmark.get(benchmark);
        if (items == null) {
            throw new IllegalArgumentException("unknown benchmark " + benchmark + ", known: " + byBenchmark.keySet());
        }
        return items;
    }

    /** The item whose prompt equals {@code text}, ignoring leading and trailing whitespace. */
    public Optional<ReplayItem> findByPrompt(String text) {
        return text == null ? Optional.empty() : Optional.ofNullable(byPrompt.get(key(text)));
    }

    private static String key(String prompt) {
        return prompt.strip();
    }

    private static List<ReplayItem> readResource(String name) {
        InputStream raw = ReplayDataset.class.getClassLoader().getResourceAsStream(name);
        if (raw == null) {
            throw new IllegalStateException("replay data " + name + " is not on the classpath");
        }
        List<ReplayItem> items = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    items.add(parse(MAPPER.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay data " + name, e);
        }
        return List.copyOf(items);
    }

    private static ReplayItem parse(JsonNode node) {
        Map<String, RecordedAnswer> answers = new LinkedHashMap<>();
        node.get("answers").properties().forEach(entry -> {
            JsonNode text = entry.getValue().get("text");
            answers.put(
                    entry.getKey(),
                    new RecordedAnswer(
                            entry.getValue().get("correct").asBoolean(),
                            text == null || text.isNull() ? null : text.asText()));
        });
        return new ReplayItem(
                node.get("id").asText(),
                node.get("benchmark").asText(),
                node.get("prompt").asText(),
                answers);
    }
}
