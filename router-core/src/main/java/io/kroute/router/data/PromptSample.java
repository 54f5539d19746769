package io.kroute.router.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.InvalidMessageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prompts to calibrate a threshold on: a sample of a deployment's own traffic, which has no labels. One JSON object per
 * line: anything with a {@code prompt} string (so the scored-answer and battle formats too), or a prompt request as
 * producers write it to the prompts topic ({@code messages}: its last user message is what the router scores). A
 * prompt repeated in traffic counts as often as it occurs; a training row's prompt counts once, however many battles
 * or scores it has.
 */
public final class PromptSample {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptSample() {}

    /** The prompts of {@code file} in order, blank lines skipped; a line that is neither kind is an error naming it. */
    public static List<String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> prompts = new ArrayList<>();
        Set<String> trainingPrompts = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file.getFileName() + " line " + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": not JSON");
            }
            String prompt = prompt(node, line, where);
            boolean trainingRow = node.has("scores") || node.has("winner");
            if (!trainingRow || trainingPrompts.add(prompt)) {
                prompts.add(prompt);
            }
        }
        return prompts;
    }

    private static String prompt(JsonNode node, String line, String where) {
        if (node.path("prompt").isTextual()) {
            return node.get("prompt").asText();
        }
        if (node.has("messages")) {
            try {
                return Codecs.PROMPT_REQUEST
                        .decode(line.getBytes(StandardCharsets.UTF_8))
                        .lastUserText();
            } catch (InvalidMessageException e) {
                throw new IllegalArgumentException(where + ": not a valid prompt request: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(where + ": neither a \"prompt\" string nor a prompt request (\"messages\")");
    }
}
