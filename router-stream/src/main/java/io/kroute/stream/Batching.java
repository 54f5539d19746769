package io.kroute.stream;

import java.time.Duration;

/**
 * How the router-stream scores: up to {@code size} prompts of a partition in one call of the router (its encoder and
 * head run once for the batch, as the JMH figures measure it), waiting at most {@code maxWait} for a batch to fill.
 * Prompts waiting for their batch are kept in a changelogged store, so exactly-once holds: a prompt whose offset is
 * committed is either routed or in the store, and a task that moves or restarts routes what its store holds.
 *
 * @param size prompts per call of the router; 1 scores each prompt as it comes (no store)
 * @param maxWait the longest a prompt waits for its batch to fill (wall-clock time)
 */
public record Batching(int size, Duration maxWait) {

    /** One prompt at a time: what the topology tests drive. */
    public static final Batching NONE = new Batching(1, Duration.ofMillis(1));

    public static final int DEFAULT_SIZE = 64;
    public static final long DEFAULT_MAX_WAIT_MS = 20;

    public Batching {
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("batch size must be in [1, 10000], got " + size);
        }
        if (maxWait.isNegative() || maxWait.isZero() || maxWait.toMillis() > 60_000) {
            throw new IllegalArgumentException("batch wait must be in [1 ms, 60 s], got " + maxWait.toMillis() + " ms");
        }
    }

    public boolean batches() {
        return size > 1;
    }
}
