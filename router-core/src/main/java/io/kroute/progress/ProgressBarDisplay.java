package io.kroute.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A live progress bar on the terminal (stderr): units done out of the total (open-ended until one is known). */
public final class ProgressBarDisplay implements Progress {

    private final ProgressBar bar;
    private boolean closed;

    /** @param total the units in all; -1 for an open-ended bar */
    public ProgressBarDisplay(String task, String unit, long total) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .build();
    }

    @Override
    public synchronized void update(long done, long total, String detail) {
        if (closed) {
            return;
        }
        if (total >= 0 && total != bar.getMax()) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
        bar.setExtraMessage(detail.isEmpty() ? "" : ", " + detail);
    }

    /** Closed once, whether by the command's end or by Ctrl-C's hook, whichever comes first. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            bar.close();
        }
    }
}
