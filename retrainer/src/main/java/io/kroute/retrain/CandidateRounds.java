package io.kroute.retrain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A retrainer's candidate directories, {@code candidates/round-N} in its work directory. A router too large to travel
 * inline is published by the location of its directory, with a checksum the router-streams verify; so a restarted
 * retrainer numbers its rounds on from the highest on disk and never overwrites a version a rollback may return to.
 */
final class CandidateRounds {

    private static final Pattern ROUND = Pattern.compile("round-(\\d{1,9})");

    private CandidateRounds() {}

    /** The highest round with a directory under the work directory, 0 when there is none. */
    static int last(Path workDir) {
        Path candidates = workDir.resolve("candidates");
        if (!Files.isDirectory(candidates)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(candidates)) {
            return entries.filter(Files::isDirectory)
                    .map(path -> ROUND.matcher(path.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the candidate directories in " + candidates, e);
        }
    }

    static Path directory(Path workDir, int round) {
        return workDir.resolve("candidates").resolve("round-" + round);
    }
}
