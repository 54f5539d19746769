package io.kroute.router.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The two documented JSONL training formats, and battles derived from scored answers. */
public final class TrainingData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingData() {}

    /** Every pair of models scored on a prompt is a battle; equal scores are a tie. */
    public static List<Battle> battles(List<ScoredAnswer> answers) {
        List<Battle> out = new ArrayList<>();
        for (ScoredAnswer answer : answers) {
            List<Map.Entry<String, Double>> scores = new ArrayList<>(new TreeMap<>(answer.scores()).entrySet());
            for (int i = 0; i < scores.size(); i++) {
                for (int j = i + 1; j < scores.size(); j++) {
                    double a = scores.get(i).getValue();
                    double b = scores.get(j).getValue();
                    Battle.Outcome winner =
                            a > b ? Battle.Outcome.MODEL_A : a < b ? Battle.Outcome.MODEL_B : Battle.Outcome.TIE;
                    out.add(new Battle(
                            answer.prompt(),
                            scores.get(i).getKey(),
                            scores.get(j).getKey(),
                            winner));
                }
            }
        }
        return out;
    }

    /** A prompt scored for at least this many models says how hard it is, not only which of two answers won. */
    public static final int MANY_MODELS = 5;

    /**
     * The mean score over models of each prompt scored for at least {@link #MANY_MODELS} models (the first answer of
     * a prompt given twice wins): how well models do on it, the evidence of difficulty that a pair's win or loss
     * alone is too noisy to give.
     */
    public static Map<String, Double> meanScores(List<ScoredAnswer> answers) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (ScoredAnswer answer : answers) {
            if (answer.scores().size() >= MANY_MODELS) {
                out.putIfAbsent(
                        answer.prompt(),
                        answer.scores().values().stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElseThrow());
            }
        }
        return out;
    }

    public static void writeScored(Path file, List<ScoredAnswer> answers) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ScoredAnswer a : answers) {
                ObjectNode node = JSON.createObjectNode();
                node.put("id", a.id());
                node.put("prompt", a.prompt());
                ObjectNode scores = node.putObject("scores");
                new TreeMap<>(a.scores()).forEach(scores::put);
                out.write(JSON.writeValueAsString(node));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeBattles(Path file, List<Battle> battles) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Battle b : battles) {
                ObjectNode node = JSON.createObjectNode();
                node.put("prompt", b.prompt());
                node.put("model_a", b.modelA());
                node.put("model_b", b.modelB());
                node.put("winner", b.winner().json());
                out.write(JSON.writeValueAsString(node));
                out.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSONL file of either format; a file of battles comes back as battles, else as scored answers. */
    public static Loaded read(Path file) {
        List<ScoredAnswer> scored = new ArrayList<>();
        List<Battle> battles = new ArrayList<>();
        int lineNumber = 0;
        try {
            for (JsonNode node : BenchmarkData.jsonLines(file)) {
                lineNumber++;
                if (node.has("winner")) {
                    battles.add(new Battle(
                            text(node, "prompt"),
                            text(node, "model_a"),
                            text(node, "model_b"),
                            Battle.Outcome.parse(text(node, "winner"))));
                } else if (node.has("scores")) {
                    Map<String, Double> scores = new TreeMap<>();
                    node.get("scores").fields().forEachRemaining(e -> {
                        if (e.getValue().isNumber()) {
                            scores.put(e.getKey(), e.getValue().asDouble());
                        } else if (e.getValue().isBoolean()) {
                            scores.put(e.getKey(), e.getValue().asBoolean() ? 1.0 : 0.0);
                        }
                    });
                    String id = node.has("id") ? node.get("id").asText() : file.getFileName() + "/" + lineNumber;
                    scored.add(new ScoredAnswer(id, text(node, "prompt"), scores));
                } else {
                    throw new IllegalArgumentException(
                            file + " line " + lineNumber + ": neither a battle (winner) nor scored answers (scores)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Loaded(scored, battles);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "' in " + node);
        }
        return value.asText();
    }

    /** What a file held: scored answers, battles, or both. */
    public record Loaded(List<ScoredAnswer> scored, List<Battle> battles) {

        /** All of it as battles. */
        public List<Battle> allBattles() {
            List<Battle> all = new ArrayList<>(battles);
            all.addAll(TrainingData.battles(scored));
            return all;
        }
    }
}
