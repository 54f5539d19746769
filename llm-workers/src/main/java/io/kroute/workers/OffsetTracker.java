package io.kroute.workers;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which offset of one partition may be committed while records finish out of order: the lowest offset still in
 * flight, or one past the highest finished when none is. Committing it never skips a record that has no response yet.
 * Used from one event-loop thread only.
 */
public final class OffsetTracker {

    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long highestStarted = -1;
    private long committed = -1;

    /**
     * A record was taken for processing. Offsets normally increase; a repeated or lower one (the consumer was rewound)
     * is tracked too, and simply keeps the commit at or below it until it finishes.
     */
    public void started(long offset) {
        highestStarted = Math.max(highestStarted, offset);
        inFlight.add(offset);
    }

    /** Its response (or dead letter) was acknowledged by the broker; returns false if it was not in flight. */
    public boolean completed(long offset) {
        return inFlight.remove(offset);
    }

    /** The offset to commit (the next one to read after a restart), if any record has started. */
    public OptionalLong committable() {
        if (highestStarted < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(inFlight.isEmpty() ? highestStarted + 1 : inFlight.first());
    }

    /** {@link #committable()} when it is beyond what was last committed, else empty. */
    public OptionalLong toCommit() {
        OptionalLong next = committable();
        return next.isPresent() && next.getAsLong() > committed ? next : OptionalLong.empty();
    }

    /** The broker accepted a commit of {@code offset}. */
    public void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    public int inFlight() {
        return inFlight.size();
    }
}
