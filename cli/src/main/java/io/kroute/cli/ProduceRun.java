package io.kroute.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/** One run of produce: each good line sent, each bad one reported with its number, one summary line at the end. */
final class ProduceRun {

    private final PromptSender sender;
    private final ProduceProgress progress;
    private final PrintWriter err;
    private final AtomicLong badLines = new AtomicLong();
    private volatile long linesRead;
    private volatile boolean finished;

    ProduceRun(PromptSender sender, ProduceProgress progress, PrintWriter err) {
        this.sender = sender;
        this.progress = progress;
        this.err = err;
    }

    /** Sends or reports one line; lines that come after {@link #finish()} (Ctrl-C) are not sent. */
    void accept(PromptLine line) {
        if (finished) {
            return;
        }
        if (line.isGood()) {
            sender.send(line);
        } else {
            badLines.incrementAndGet();
            err.println("produce: line " + line.number() + ": " + line.problem());
        }
        linesRead = line.number();
        progress.update(linesRead, sender.sent());
    }

    /**
     * Waits for the result of every send and prints the summary. Called at the end of the input, or by Ctrl-C, which
     * may come while the input is still open: whichever comes first does it.
     */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        sender.flush();
        progress.update(linesRead, sender.sent());
        progress.close();
        err.println("produce: sent " + sender.sent() + ", skipped " + skipped() + " (bad lines " + badLines
                + ", failed sends " + sender.failed() + ")");
        err.flush();
    }

    int exitCode() {
        return skipped() == 0 ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    private long skipped() {
        return badLines.get() + sender.failed();
    }
}
