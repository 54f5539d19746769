package io.kroute.retrain;

import io.kroute.schemas.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code decisions.jsonl} in a retrainer's work directory: every round's decision, promoted or not, one per line. */
final class DecisionLog {

    private DecisionLog() {}

    static void append(Path workDir, Object decision) throws IOException {
        Path file = workDir.resolve("decisions.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                Json.MAPPER.writeValueAsString(decision) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
