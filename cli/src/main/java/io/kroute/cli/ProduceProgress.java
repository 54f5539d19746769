package io.kroute.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/** How far produce has come, for the person watching; the summary line at the end is printed separately. */
interface ProduceProgress extends AutoCloseable {

    /** Called after each input line; cheap, so it can be. */
    void update(long linesRead, long sent);

    @Override
    void close();

    /**
     * A live bar when the JVM talks to a terminal; plain lines every 2 s otherwise, because a bar's carriage returns
     * written to a file or a pipe make unreadable logs.
     *
     * @param file the input, to size the bar; null for standard input
     */
    static ProduceProgress forStderr(PrintWriter err, Path file) {
        if (System.console() != null) {
            return new ProgressBarDisplay(file);
        }
        return new ProgressLines(err, Duration.ofSeconds(2), System::nanoTime);
    }
}
