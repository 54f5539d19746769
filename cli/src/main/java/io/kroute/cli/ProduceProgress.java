package io.kroute.cli;

import io.kroute.progress.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How far produce has come: input lines read (out of the file's, on a bar) and requests sent. */
final class ProduceProgress implements AutoCloseable {

    private final Progress display;

    ProduceProgress(Progress display) {
        this.display = display;
    }

    /**
     * A bar sized by the file's lines on a terminal, plain lines every 2 s otherwise.
     *
     * @param file the input, to size the bar; null for standard input
     */
    static ProduceProgress forStderr(PrintWriter err, Path file) {
        return new ProduceProgress(Progress.forStderr(
                err, "produce", "lines", Duration.ofSeconds(2), () -> file == null ? -1 : countLines(file)));
    }

    /** Called after each input line; cheap, so it can be. */
    void update(long linesRead, long sent) {
        display.update(linesRead, -1, sent + " sent");
    }

    @Override
    public void close() {
        display.close();
    }

    /** Counts newlines in bytes, without decoding or holding a line: the file can be large. -1 when unreadable. */
    private static long countLines(Path file) {
        byte[] buffer = new byte[64 * 1024];
        long lines = 0;
        int last = '\n';
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                if (n > 0) {
                    last = buffer[n - 1];
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return last == '\n' ? lines : lines + 1;
    }
}
