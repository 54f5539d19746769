package io.kroute.stream;

import java.util.Arrays;

/**
 * The scores of the last {@code capacity} prompts, oldest evicted first, also kept sorted: the threshold for a share
 * of strong calls on recent traffic is then one interpolated lookup (numpy's linear quantile, as
 * {@link io.kroute.router.ThresholdCalibrator}). Adding costs one binary search and one array shift. Not thread-safe:
 * one per stream task.
 */
final class ScoreWindow {

    private final double[] ring;
    private final double[] sorted;
    private int size;
    private int next;

    ScoreWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.ring = new double[capacity];
        this.sorted = new double[capacity];
    }

    /** Adds a score, evicting the oldest when full; returns the ring slot it was written to. */
    int add(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score is NaN");
        }
        int slot = next;
        if (size == ring.length) {
            removeSorted(ring[slot]);
        } else {
            size++;
        }
        ring[slot] = score;
        insertSorted(score);
        next = (slot + 1) % ring.length;
        return slot;
    }

    /** The score at or above which a share {@code strongShare} of the window lies. */
    double thresholdFor(double strongShare) {
        if (size == 0) {
            throw new IllegalStateException("no scores yet");
        }
        double position = (1 - strongShare) * (size - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(size - 1, lower + 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    int size() {
        return size;
    }

    int capacity() {
        return ring.length;
    }

    /** The slot the next score goes to (the oldest score's slot once the window is full). */
    int next() {
        return next;
    }

    void clear() {
        size = 0;
        next = 0;
    }

    /** Rebuilds the window from persisted slots: {@code slots[i]} is ring slot i (the first {@code count} filled). */
    void restore(double[] slots, int count, int nextSlot) {
        if (count > ring.length
                || nextSlot < 0
                || nextSlot >= ring.length
                || (count < ring.length && nextSlot != count % ring.length)) {
            throw new IllegalArgumentException("inconsistent window state: " + count + " scores, next slot " + nextSlot
                    + ", capacity " + ring.length);
        }
        System.arraycopy(slots, 0, ring, 0, count);
        System.arraycopy(slots, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        size = count;
        next = nextSlot;
    }

    private void insertSorted(double score) {
        int at = Arrays.binarySearch(sorted, 0, size - 1, score);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(sorted, at, sorted, at + 1, size - 1 - at);
        sorted[at] = score;
    }

    private void removeSorted(double score) {
        int at = Arrays.binarySearch(sorted, 0, size, score);
        if (at < 0) {
            throw new IllegalStateException("window lost track of score " + score);
        }
        System.arraycopy(sorted, at + 1, sorted, at, size - 1 - at);
    }
}
