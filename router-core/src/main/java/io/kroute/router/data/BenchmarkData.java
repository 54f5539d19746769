package io.kroute.router.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Turns the public routing data in {@code shared/data} into scored answers. Model names are kept as the sources
 * write them, so the RouteLLM pair is {@link #GPT4} and {@link #MIXTRAL} in MMLU, GSM8K and the Arena prompts alike.
 */
public final class BenchmarkData {

    public static final String GPT4 = "gpt-4-1106-preview";
    public static final String MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    /** Names accepted by {@link #load}. */
    public static final List<String> NAMES =
            List.of("mmlu", "gsm8k", "arena", "gsm8k-gpt3", "routerbench", "alpacaeval");

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchmarkData() {}

    /**
     * {@code $KROUTE_DATA}, else the first of {@code ../shared/data} (from the clone's root), {@code
     * ../../shared/data} (from a module directory, where tests run) or {@code /work/shared/data} that exists.
     */
    public static Path defaultRoot() {
        String configured = System.getenv("KROUTE_DATA");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path candidate : List.of(
                Path.of("../shared/data"),
                Path.of("../../shared/data"),
                Path.of("shared/data"),
                Path.of("/work/shared/data"))) {
            if (Files.isDirectory(candidate.resolve("routellm-mmlu"))) {
                return candidate;
            }
        }
        return Path.of("../shared/data");
    }

    public static List<ScoredAnswer> load(Path root, String name) {
        try {
            return switch (name) {
                case "mmlu" -> mmlu(root);
                case "gsm8k" -> gsm8k(root);
                case "arena" -> arena(root);
                case "gsm8k-gpt3" -> gsm8kGpt3(root);
                case "routerbench" -> routerBench(root);
                case "alpacaeval" -> alpacaEval(root);
                default -> throw new IllegalArgumentException(
                        "unknown data set '" + name + "', expected one of " + NAMES + " or a .jsonl file");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data set " + name + " under " + root, e);
        }
    }

    /** RouteLLM's MMLU labels, 14,042 questions less the 5 that leak into RouteLLM's Arena training battles. */
    public static List<ScoredAnswer> mmlu(Path root) throws IOException {
        Path dir = root.resolve("routellm-mmlu");
        Set<String> contaminated = new HashSet<>();
        for (JsonNode line : jsonLines(dir.resolve("contaminated_prompts.jsonl"))) {
            contaminated.add(line.get("eval_prompt").asText());
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir.resolve("responses"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
        List<ScoredAnswer> out = new ArrayList<>();
        for (Path file : files) {
            String subject =
                    file.getFileName().toString().replaceFirst("^mmlu_", "").replaceFirst("\\.csv$", "");
            List<List<String>> rows = csv(file);
            List<String> header = rows.get(0);
            int prompt = header.indexOf("prompt");
            int weak = header.indexOf(MIXTRAL);
            int strong = header.indexOf(GPT4);
            for (int r = 1; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                if (row.size() <= Math.max(weak, strong) || contaminated.contains(row.get(prompt))) {
                    continue;
                }
                out.add(new ScoredAnswer(
                        "mmlu/" + subject + "/" + (r - 1),
                        row.get(prompt),
                        Map.of(GPT4, bool(row.get(strong)), MIXTRAL, bool(row.get(weak)))));
            }
        }
        return out;
    }

    /** RouteLLM's GSM8K labels, 1,319 questions less the 12 contaminated ones. */
    public static List<ScoredAnswer> gsm8k(Path root) throws IOException {
        Path dir = root.resolve("routellm-gsm8k");
        Set<Integer> contaminated = new HashSet<>();
        for (JsonNode line : jsonLines(dir.resolve("contaminated_prompts.jsonl"))) {
            contaminated.add(line.get("eval_idx").asInt());
        }
        List<List<String>> rows = csv(dir.resolve("gsm8k_responses.csv"));
        List<String> header = rows.get(0);
        int weak = header.indexOf(MIXTRAL);
        int strong = header.indexOf(GPT4);
        List<ScoredAnswer> out = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            if (contaminated.contains(r - 1)) {
                continue;
            }
            List<String> row = rows.get(r);
            out.add(new ScoredAnswer(
                    "gsm8k/test/" + (r - 1),
                    row.get(header.indexOf("prompt")),
                    Map.of(GPT4, bool(row.get(strong)), MIXTRAL, bool(row.get(weak)))));
        }
        return out;
    }

    /** The same GSM8K questions with GPT-3 175B (strong) vs 6B (weak), both with a verifier: a second pair. */
    public static List<ScoredAnswer> gsm8kGpt3(Path root) throws IOException {
        List<ScoredAnswer> out = new ArrayList<>();
        int i = 0;
        for (JsonNode line : jsonLines(root.resolve("openai-gsm8k-model-solutions/example_model_solutions.jsonl.gz"))) {
            out.add(new ScoredAnswer(
                    "gsm8k-gpt3/test/" + i++,
                    line.get("question").asText(),
                    Map.of(
                            "gpt3-175b-verification",
                            line.get("175b_verification").get("is_correct").asBoolean() ? 1.0 : 0.0,
                            "gpt3-6b-verification",
                            line.get("6b_verification").get("is_correct").asBoolean() ? 1.0 : 0.0)));
        }
        return out;
    }

    /** 299 real Arena prompts, GPT-4 judge scores 1–10 for 16 models (unparsed judgments left out). */
    public static List<ScoredAnswer> arena(Path root) throws IOException {
        Path dir = root.resolve("arena-hard-auto-arena-bench-v1");
        Map<String, String> prompts = new LinkedHashMap<>();
        for (JsonNode line : jsonLines(dir.resolve("question.jsonl.gz"))) {
            prompts.put(
                    line.get("question_id").asText(), line.get("turns").get(0).asText());
        }
        Map<String, Map<String, Double>> scores = new HashMap<>();
        List<List<String>> rows = csv(dir.resolve("scores_long.csv"));
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() < 3 || row.get(2).isBlank()) {
                continue;
            }
            scores.computeIfAbsent(row.get(0), k -> new HashMap<>()).put(row.get(1), Double.parseDouble(row.get(2)));
        }
        List<ScoredAnswer> out = new ArrayList<>();
        prompts.forEach(
                (id, prompt) -> out.add(new ScoredAnswer("arena/" + id, prompt, scores.getOrDefault(id, Map.of()))));
        return out;
    }

    /** RouterBench's ARC-C, MBPP and Winogrande rows (RouterDC's test split). Local evaluation only: no licence. */
    public static List<ScoredAnswer> routerBench(Path root) throws IOException {
        List<ScoredAnswer> out = new ArrayList<>();
        for (String task : List.of("arc_challenge", "mbpp", "winograde")) {
            Path file = root.resolve("routerbench-subset-routerdc/" + task + "_test.csv.gz");
            List<List<String>> rows = csv(file);
            List<String> header = rows.get(0);
            int prompt = header.indexOf("prompt");
            int id = header.indexOf("sample_id");
            for (List<String> row : rows.subList(1, rows.size())) {
                Map<String, Double> scores = new HashMap<>();
                for (int c = 0; c < header.size() && c < row.size(); c++) {
                    String column = header.get(c);
                    if (c > header.indexOf("eval_name")
                            && !column.contains("|")
                            && !row.get(c).isBlank()
                            && !column.equals("oracle_model_to_route_to")) {
                        scores.put(column, Double.parseDouble(row.get(c)));
                    }
                }
                out.add(new ScoredAnswer(
                        "routerbench-" + task + "/" + row.get(id), pythonListText(row.get(prompt)), scores));
            }
        }
        return out;
    }

    /**
     * AlpacaEval 2.0: for each instruction, {@code gpt4_1106_preview} scored 0.5 and every other model 2 - preference
     * (its judge-estimated chance of losing to GPT-4-Turbo, flipped to a quality). Local evaluation only: CC BY-NC.
     */
    public static List<ScoredAnswer> alpacaEval(Path root) throws IOException {
        Path dir = root.resolve("alpacaeval2-vs-gpt4turbo");
        Map<String, String> prompts = new LinkedHashMap<>();
        List<List<String>> rows = csv(dir.resolve("instructions.csv"));
        List<String> header = rows.get(0);
        for (List<String> row : rows.subList(1, rows.size())) {
            prompts.put(row.get(header.indexOf("instruction_idx")), row.get(header.indexOf("instruction")));
        }
        Map<String, Map<String, Double>> scores = new HashMap<>();
        rows = csv(dir.resolve("preferences_long.csv.gz"));
        header = rows.get(0);
        for (List<String> row : rows.subList(1, rows.size())) {
            String pref = row.get(header.indexOf("preference"));
            if (pref.isBlank()) {
                continue;
            }
            Map<String, Double> s = scores.computeIfAbsent(row.get(0), k -> new HashMap<>());
            s.put(row.get(header.indexOf("model_dir")), Double.parseDouble(pref) - 1.0);
            s.put(GPT4, 0.5);
        }
        List<ScoredAnswer> out = new ArrayList<>();
        prompts.forEach((id, prompt) ->
                out.add(new ScoredAnswer("alpacaeval/" + id, prompt, scores.getOrDefault(id, Map.of()))));
        return out;
    }

    static List<List<String>> csv(Path file) throws IOException {
        try (Reader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            return Csv.read(reader);
        }
    }

    static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static double bool(String text) {
        return Boolean.parseBoolean(text.trim()) ? 1.0 : 0.0;
    }

    /** RouterBench stores prompts as a Python list literal; the text of its elements is what the model saw. */
    static String pythonListText(String literal) {
        String s = literal.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            s = s.substring(1, s.length() - 1);
        }
        return s.replace("\\n", "\n").replace("\\'", "'").replace("\\\"", "\"");
    }
}
