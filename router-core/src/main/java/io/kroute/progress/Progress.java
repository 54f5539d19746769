package io.kroute.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How far a long step has come (produce's lines, a batch's requests, the demo's outcomes, training epochs, eval
 * folds, the static table's tokens), for the person watching: done/total, rate and ETA. The summary at the end is
 * printed separately, so a display may drop updates. Shared by every command of kroute.
 */
public interface Progress extends AutoCloseable {

    /**
     * @param done units done so far
     * @param total units in all; negative when it is not known or has not changed, and the display keeps what it had
     * @param detail a short note shown after the count, e.g. {@code 1200 sent}; empty for none
     */
    void update(long done, long total, String detail);

    @Override
    void close();

    /**
     * A live bar when the JVM talks to a terminal; plain lines every {@code interval} otherwise, because a bar's
     * carriage returns written to a file or a pipe make unreadable logs.
     *
     * @param task the name the display starts with, e.g. {@code produce}
     * @param unit what is counted, plural, e.g. {@code lines}
     * @param barTotal the units in all, asked only when a bar is shown (counting can cost a pass over a file); -1 when
     *     not known
     */
    static Progress forStderr(PrintWriter err, String task, String unit, Duration interval, LongSupplier barTotal) {
        if (System.console() != null) {
            return new ProgressBarDisplay(task, unit, barTotal.getAsLong());
        }
        return new ProgressLines(err, task, unit, interval, System::nanoTime);
    }
}
