package io.kroute.replay.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kroute.replay.ReplayDataset;
import io.kroute.router.data.Csv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds {@code src/main/resources/replay/{gsm8k,mmlu,arena}.jsonl.gz} from the RouteLLM and arena-bench-v1 files in
 * {@code shared/data} (Arena's lines: {@link ArenaDataGenerator}).
 *
 * <p>Regenerate (from the repository root) with:
 *
 * <pre>
 * ./mvnw -q -pl replay-llm -am test -Dtest=ReplayDataGeneratorTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dreplay.source=/work/shared/data -Dreplay.regenerate=true
 * </pre>
 *
 * <p>Without {@code replay.regenerate} the same test only checks that the committed files equal what this generator
 * produces. Rows are written in source order (GSM8K: test-set row order; MMLU: subjects sorted by file name, rows in
 * file order; Arena: question-file order), so the uncompressed output is byte-for-byte reproducible.
 */
public final class ReplayDataGenerator {

    static final String GSM8K_DIR = "routellm-gsm8k";
    static final String MMLU_DIR = "routellm-mmlu";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReplayDataGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ReplayDataGenerator <shared/data dir> <output dir>");
            System.exit(2);
        }
        generate(Path.of(args[0]), Path.of(args[1]));
    }

    /** Writes {@code gsm8k.jsonl.gz}, {@code mmlu.jsonl.gz} and {@code arena.jsonl.gz} into {@code outputDir}. */
    public static void generate(Path sourceDir, Path outputDir) throws IOException {
        Files.createDirectories(outputDir);
        writeGzip(gsm8kLines(sourceDir.resolve(GSM8K_DIR)), outputDir.resolve("gsm8k.jsonl.gz"));
        writeGzip(mmluLines(sourceDir.resolve(MMLU_DIR)), outputDir.resolve("mmlu.jsonl.gz"));
        writeGzip(
                ArenaDataGenerator.lines(sourceDir.resolve(ArenaDataGenerator.ARENA_DIR)),
                outputDir.resolve("arena.jsonl.gz"));
    }

    static List<String> gsm8kLines(Path dir) throws IOException {
        Set<String> contaminated = contaminatedPrompts(dir.resolve("contaminated_prompts.jsonl"));
        List<List<String>> rows = Csv.read(dir.resolve("gsm8k_responses.csv"));
        List<String> header = rows.get(0);
        int prompt = column(header, "prompt");
        int weakCorrect = column(header, ReplayDataset.WEAK_MODEL);
        int strongCorrect = column(header, ReplayDataset.STRONG_MODEL);
        int weakText = column(header, ReplayDataset.WEAK_MODEL + "_response");
        int strongText = column(header, ReplayDataset.STRONG_MODEL + "_response");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (contaminated.contains(row.get(prompt))) {
                continue;
            }
            Map<String, Object> answers = new LinkedHashMap<>();
            answers.put(ReplayDataset.STRONG_MODEL, answer(row.get(strongCorrect), row.get(strongText)));
            answers.put(ReplayDataset.WEAK_MODEL, answer(row.get(weakCorrect), row.get(weakText)));
            lines.add(line("gsm8k-test-" + (i - 1), "gsm8k", null, row.get(prompt), answers));
        }
        return lines;
    }

    static List<String> mmluLines(Path dir) throws IOException {
        Set<String> contaminated = contaminatedPrompts(dir.resolve("contaminated_prompts.jsonl"));
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir.resolve("responses"))) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String subject = name.substring("mmlu_".length(), name.length() - ".csv".length());
            List<List<String>> rows = Csv.read(file);
            List<String> header = rows.get(0);
            int prompt = column(header, "prompt");
            int weakCorrect = column(header, ReplayDataset.WEAK_MODEL);
            int strongCorrect = column(header, ReplayDataset.STRONG_MODEL);
            for (int i = 1; i < rows.size(); i++) {
                List<String> row = rows.get(i);
                if (contaminated.contains(row.get(prompt))) {
                    continue;
                }
                Map<String, Object> answers = new LinkedHashMap<>();
                answers.put(ReplayDataset.STRONG_MODEL, answer(row.get(strongCorrect), null));
                answers.put(ReplayDataset.WEAK_MODEL, answer(row.get(weakCorrect), null));
                lines.add(line("mmlu-" + subject + "-" + (i - 1), "mmlu", subject, row.get(prompt), answers));
            }
        }
        return lines;
    }

    private static Map<String, Object> answer(String correct, String text) {
        if (!correct.equals("True") && !correct.equals("False")) {
            throw new IllegalStateException("correctness is neither True nor False: " + correct);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("correct", Boolean.parseBoolean(correct.toLowerCase()));
        if (text != null) {
            answer.put("text", text);
        }
        return answer;
    }

    private static String line(String id, String benchmark, String subject, String prompt, Map<String, Object> answers)
            throws IOException {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("benchmark", benchmark);
        if (subject != null) {
            item.put("subject", subject);
        }
        item.put("prompt", prompt);
        item.put("answers", answers);
        return MAPPER.writeValueAsString(item);
    }

    private static Set<String> contaminatedPrompts(Path file) throws IOException {
        Set<String> prompts = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode node = MAPPER.readTree(line);
                prompts.add(node.get("eval_prompt").asText());
            }
        }
        return prompts;
    }

    private static int column(List<String> header, String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalStateException("no column " + name + " in " + header);
        }
        return index;
    }

    private static void writeGzip(List<String> lines, Path target) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target));
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
    }
}
