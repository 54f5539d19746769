package io.kroute.replay.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the committed replay data equal to what {@link ReplayDataGenerator} builds from the sources, or
 * rewrites it with {@code -Dreplay.regenerate=true}. Skipped when the sources are not on this machine.
 */
class ReplayDataGeneratorTest {

    private static final Path RESOURCES = Path.of("src/main/resources/replay");

    @Test
    void committedDataEqualsWhatTheGeneratorBuilds(@TempDir Path temp) throws IOException {
        Path source = Path.of(System.getProperty("replay.source", "../../shared/data"));
        assumeTrue(
                Files.isDirectory(source.resolve(ReplayDataGenerator.GSM8K_DIR))
                        && Files.isDirectory(source.resolve(ArenaDataGenerator.ARENA_DIR)),
                "RouteLLM or arena-bench-v1 sources not found at " + source.toAbsolutePath());

        if (Boolean.getBoolean("replay.regenerate")) {
            ReplayDataGenerator.generate(source, RESOURCES);
        }
        ReplayDataGenerator.generate(source, temp);

        for (String file : List.of("gsm8k.jsonl.gz", "mmlu.jsonl.gz", "arena.jsonl.gz")) {
            // compare the uncompressed lines: deflate output may differ between zlib builds
            assertThat(lines(RESOURCES.resolve(file))).as(file).isEqualTo(lines(temp.resolve(file)));
        }
    }

    private static List<String> lines(Path gzip) throws IOException {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(gzip)), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }
}
