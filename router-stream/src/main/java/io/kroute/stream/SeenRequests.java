package io.kroute.stream;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The request ids a task has accepted within the deduplication window, so a request sent twice (a producer's retry, a
 * job submitted again) is answered, and billed, once: the second is dead-lettered as a duplicate before it is scored.
 * A persistent window store with a changelog, keyed by request id, kept for the window and then dropped by segment;
 * times are the stream's wall clock, not the records' (a producer cannot age the store with a timestamp).
 */
final class SeenRequests {

    static final String STORE = "route-seen-request-ids";

    private final WindowStore<String, Long> store;
    private final Duration window;

    SeenRequests(WindowStore<String, Long> store, Duration window) {
        this.store = store;
        this.window = window;
    }

    static StoreBuilder<WindowStore<String, Long>> builder(Duration window) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, window, window, false), Serdes.String(), Serdes.Long());
    }

    /**
     * Records the id as accepted now, unless it was already within the window.
     *
     * @return when the id was first accepted, or null when it is new
     */
    Long firstAcceptedAt(String requestId, long now) {
        try (WindowStoreIterator<Long> seen =
                store.fetch(requestId, Instant.ofEpochMilli(now - window.toMillis()), Instant.ofEpochMilli(now))) {
            if (seen.hasNext()) {
                return seen.next().value;
            }
        }
        store.put(requestId, now, now);
        return null;
    }
}
