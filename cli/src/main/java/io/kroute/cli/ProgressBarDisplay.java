package io.kroute.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A live progress bar on the terminal (stderr): input lines read out of the file's total, and requests sent. */
final class ProgressBarDisplay implements ProduceProgress {

    private final ProgressBar bar;

    /** @param file the input, whose lines are counted first to size the bar; null for an open-ended bar */
    ProgressBarDisplay(Path file) {
        this.bar = new ProgressBarBuilder()
                .setTaskName("produce")
                .setInitialMax(file == null ? -1 : countLines(file))
                .setUnit(" lines", 1)
                .showSpeed()
                .build();
    }

    @Override
    public void update(long linesRead, long sent) {
        bar.stepTo(linesRead);
        bar.setExtraMessage(", " + sent + " sent");
    }

    @Override
    public void close() {
        bar.close();
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
