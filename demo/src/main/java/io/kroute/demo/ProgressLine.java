package io.kroute.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The demo's progress: on a terminal one line rewritten in place; in a log file (no console) a plain line every few
 * seconds and one at the end, so the log reads as a history instead of one endless line of carriage returns.
 */
final class ProgressLine {

    static final long LOG_EVERY_MS = 5_000;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long start;
    private long lastLogged = Long.MIN_VALUE;

    ProgressLine(PrintStream out, boolean terminal, LongSupplier clockMillis) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clockMillis;
        this.start = clockMillis.getAsLong();
    }

    /** A terminal when the JVM has a console (stdin and stdout both attached to one). */
    static ProgressLine forStderr(PrintStream err) {
        return new ProgressLine(err, System.console() != null, System::currentTimeMillis);
    }

    void update(int done, int total) {
        long now = clock.getAsLong();
        boolean finished = done >= total;
        if (!terminal && !finished && lastLogged != Long.MIN_VALUE && now - lastLogged < LOG_EVERY_MS) {
            return;
        }
        lastLogged = now;
        double seconds = Math.max(0.001, (now - start) / 1000.0);
        String text = String.format(
                Locale.ROOT, "[demo] %d/%d outcomes, %.1f s, %.0f/s", done, total, seconds, done / seconds);
        if (terminal) {
            out.print("\r" + text + "   ");
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** Ends the line rewritten in place, so what follows starts on a line of its own. */
    void end() {
        if (terminal) {
            out.println();
        }
    }
}
