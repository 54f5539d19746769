package io.kroute.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One stream task's {@link ScoreWindow}, written through to a changelogged state store: every score is one store
 * entry (its ring slot), plus the next slot and the router version the scores came from. After a restart or a
 * rebalance the window is rebuilt from the store, so under exactly-once a reprocessed record sees the same window and
 * gets the same decision. Scores of another router are on another scale: a new router version empties the window.
 */
final class RecentScores {

    static final String STORE = "route-prompt-score-window";

    private static final String SLOT = "slot/";
    private static final String NEXT = "next";
    private static final String ROUTER = "router";

    private final TrafficCalibration calibration;
    private final KeyValueStore<String, byte[]> store;
    private final ScoreWindow window;
    private String routerVersion;

    private RecentScores(TrafficCalibration calibration, KeyValueStore<String, byte[]> store) {
        this.calibration = calibration;
        this.store = store;
        this.window = new ScoreWindow(calibration.window());
    }

    /** The window as the store holds it; a store written with another window size starts empty. */
    static RecentScores restore(TrafficCalibration calibration, KeyValueStore<String, byte[]> store) {
        RecentScores scores = new RecentScores(calibration, store);
        byte[] router = store.get(ROUTER);
        byte[] next = store.get(NEXT);
        if (router == null || next == null) {
            return scores;
        }
        double[] slots = new double[calibration.window()];
        int count = 0;
        boolean fits = true;
        try (KeyValueIterator<String, byte[]> all = store.prefixScan(SLOT, new StringSerializer())) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                int slot = Integer.parseInt(entry.key.substring(SLOT.length()));
                if (slot >= slots.length) {
                    fits = false;
                    break;
                }
                slots[slot] = ByteBuffer.wrap(entry.value).getDouble();
                count++;
            }
        }
        int nextSlot = ByteBuffer.wrap(next).getInt();
        if (fits && nextSlot < slots.length && (count == slots.length || nextSlot == count)) {
            scores.window.restore(slots, count, nextSlot);
            scores.routerVersion = new String(router, StandardCharsets.UTF_8);
        } else {
            scores.clearStore();
        }
        return scores;
    }

    /**
     * Adds the score a router of {@code version} gave, and returns the threshold for the target share on the window,
     * or NaN while the window holds fewer than the warm-up number of scores.
     */
    double observe(String version, double score) {
        if (!version.equals(routerVersion)) {
            clearStore();
            window.clear();
            routerVersion = version;
            store.put(ROUTER, version.getBytes(StandardCharsets.UTF_8));
        }
        int slot = window.add(score);
        store.put(
                SLOT + slot, ByteBuffer.allocate(Double.BYTES).putDouble(score).array());
        store.put(NEXT, ByteBuffer.allocate(Integer.BYTES).putInt(window.next()).array());
        return threshold();
    }

    /** The threshold for the target share on the window now, or NaN while warming up. */
    double threshold() {
        return window.size() >= calibration.warmup() ? window.thresholdFor(calibration.strongShare()) : Double.NaN;
    }

    /** The threshold for another share on the same window (a request's own target), or NaN while warming up. */
    double thresholdFor(double strongShare) {
        return window.size() >= calibration.warmup() ? window.thresholdFor(strongShare) : Double.NaN;
    }

    int size() {
        return window.size();
    }

    private void clearStore() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(store::delete);
    }
}
