package io.kroute.workers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one assigned partition that were taken and are not committed yet, in offset order, with the outcomes
 * of those that finished. Only the finished prefix may be committed: an outcome beyond a record still in flight waits
 * here, so that committing an offset never skips a record without an outcome. Used by the queue loop's thread only.
 */
final class PartitionProgress {

    /** A finished record ready to be written and committed. */
    record Finished(long offset, Outcome outcome) {}

    private final ArrayDeque<Long> taken = new ArrayDeque<>();
    private final Map<Long, Outcome> finished = new HashMap<>();

    /** A record was handed to processing; offsets arrive in increasing order within a partition. */
    void taken(long offset) {
        taken.addLast(offset);
    }

    /** Its outcome is known; ignored if the record is not (or no longer) tracked. */
    void finished(long offset, Outcome outcome) {
        if (taken.contains(offset)) {
            finished.put(offset, outcome);
        }
    }

    /** A finished record's outcome is exchanged for another (one the cluster will take). */
    void replace(long offset, Outcome outcome) {
        finished.replace(offset, outcome);
    }

    /** The finished records from the oldest uncommitted one on, up to the first still in flight. */
    List<Finished> readyPrefix() {
        List<Finished> ready = new ArrayList<>();
        for (long offset : taken) {
            Outcome outcome = finished.get(offset);
            if (outcome == null) {
                break;
            }
            ready.add(new Finished(offset, outcome));
        }
        return ready;
    }

    /** The first {@code count} records of the prefix were committed. */
    void committed(int count) {
        for (int i = 0; i < count; i++) {
            finished.remove(taken.removeFirst());
        }
    }

    /** Records taken and not committed. */
    int uncommitted() {
        return taken.size();
    }

    /** Records taken whose outcome is not known yet. */
    int inFlight() {
        return taken.size() - finished.size();
    }
}
