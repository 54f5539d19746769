package io.kroute.replay.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kroute.replay.ReplayDataset;
import io.kroute.router.data.Csv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Builds the lines of {@code replay/arena.jsonl.gz} from {@code shared/data/arena-hard-auto-arena-bench-v1}: per
 * question of {@code question.jsonl.gz}, in file order, its prompt ({@code turns[0]}) and, for each model
 * {@code scores_long.csv} scores (in the order the CSV first names them), the answer text ({@code turns[0]} of
 * {@code model_answer/<model>.jsonl.gz}) and the GPT-4 judge's score from 1 to 10, null when the judge gave none.
 *
 * <p>Run through {@link ReplayDataGenerator}, which writes every bundled file. Any mismatch between the files (a
 * missing answer, a model id or answer length that disagrees with the CSV, a score outside 1-10) stops the build.
 */
final class ArenaDataGenerator {

    static final String ARENA_DIR = "arena-hard-auto-arena-bench-v1";
    private static final int QUESTIONS = 299;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ArenaDataGenerator() {}

    static List<String> lines(Path dir) throws IOException {
        List<JsonNode> questions = readGzipLines(dir.resolve("question.jsonl.gz"));
        if (questions.size() != QUESTIONS) {
            throw new IllegalStateException("expected " + QUESTIONS + " questions, got " + questions.size());
        }
        Map<String, Map<String, Scored>> scores = scores(dir.resolve("scores_long.csv"));
        Set<String> models = new LinkedHashSet<>();
        scores.values().forEach(byModel -> models.addAll(byModel.keySet()));
        Map<String, Map<String, JsonNode>> answers = new HashMap<>();
        for (String model : models) {
            answers.put(model, answers(dir, model));
        }

        List<String> lines = new ArrayList<>();
        for (JsonNode question : questions) {
            String id = question.get("question_id").asText();
            Map<String, Scored> scored = scores.remove(id);
            if (scored == null || !scored.keySet().equals(models)) {
                throw new IllegalStateException("question " + id + " is not scored for every model");
            }
            Map<String, Object> recorded = new LinkedHashMap<>();
            for (String model : models) {
                recorded.put(model, answer(id, model, answers.get(model).get(id), scored.get(model)));
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", "arena-" + id);
            item.put("benchmark", ReplayDataset.ARENA);
            item.put("prompt", question.get("turns").get(0).asText());
            item.put("answers", recorded);
            lines.add(MAPPER.writeValueAsString(item));
        }
        if (!scores.isEmpty()) {
            throw new IllegalStateException("scores for questions not in question.jsonl.gz: " + scores.keySet());
        }
        return lines;
    }

    /** One answer: its text and score, checked against the CSV's {@code answer_chars}. */
    private static Map<String, Object> answer(String id, String model, JsonNode answer, Scored scored) {
        if (answer == null) {
            throw new IllegalStateException(model + " has no answer to " + id);
        }
        // some FastChat answers hold later turns too; the judge scored the first, which answers the prompt
        String text = answer.get("choices").get(0).get("turns").get(0).asText();
        // answer_chars counts code points (Python's len), not Java's UTF-16 chars
        if (text.codePointCount(0, text.length()) != scored.answerChars()) {
            throw new IllegalStateException(
                    model + "'s answer to " + id + " is not " + scored.answerChars() + " characters long");
        }
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("score", score(scored.gpt4Score(), id, model));
        recorded.put("text", text);
        return recorded;
    }

    /** The CSV writes scores as {@code 7} or {@code 7.0}, and nothing when the judge's output was unreadable. */
    private static Integer score(String value, String id, String model) {
        if (value.isEmpty()) {
            return null;
        }
        double score = Double.parseDouble(value);
        if (score != Math.rint(score) || score < 1 || score > 10) {
            throw new IllegalStateException(model + " on " + id + ": score " + value + " is not an integer in 1-10");
        }
        return (int) score;
    }

    /** question_id → model → its row, both in the CSV's order. */
    private static Map<String, Map<String, Scored>> scores(Path csv) throws IOException {
        List<List<String>> rows = Csv.read(csv);
        if (!rows.get(0).equals(List.of("question_id", "model", "gpt4_score", "answer_chars"))) {
            throw new IllegalStateException("unexpected header " + rows.get(0));
        }
        Map<String, Map<String, Scored>> scores = new LinkedHashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, Scored> byModel = scores.computeIfAbsent(row.get(0), id -> new LinkedHashMap<>());
            if (byModel.put(row.get(1), new Scored(row.get(2), Integer.parseInt(row.get(3)))) != null) {
                throw new IllegalStateException("two scores for " + row.get(1) + " on " + row.get(0));
            }
        }
        return scores;
    }

    /** question_id → answer; the files are named after the model without its organisation prefix. */
    private static Map<String, JsonNode> answers(Path dir, String model) throws IOException {
        String file = model.substring(model.lastIndexOf('/') + 1) + ".jsonl.gz";
        Map<String, JsonNode> answers = new HashMap<>();
        for (JsonNode answer : readGzipLines(dir.resolve("model_answer").resolve(file))) {
            if (!answer.get("model_id").asText().equals(model)) {
                throw new IllegalStateException(file + " holds answers of " + answer.get("model_id"));
            }
            answers.put(answer.get("question_id").asText(), answer);
        }
        return answers;
    }

    private static List<JsonNode> readGzipLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    nodes.add(MAPPER.readTree(line));
                }
            }
        }
        return nodes;
    }

    /** A row of scores_long.csv: the score as written (may be empty) and the answer's length. */
    private record Scored(String gpt4Score, int answerChars) {}
}
