package io.kroute.batch.ledger;

import io.kroute.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A state store of JSON values, read and written as records. */
final class JsonStore<T> {

    private final KeyValueStore<String, byte[]> store;
    private final Class<T> type;

    JsonStore(KeyValueStore<String, byte[]> store, Class<T> type) {
        this.store = store;
        this.type = type;
    }

    T get(String key) {
        byte[] bytes = store.get(key);
        return bytes == null ? null : decode(bytes);
    }

    /** Whether the key has a value, without decoding it. */
    boolean contains(String key) {
        return store.get(key) != null;
    }

    void put(String key, T value) {
        try {
            store.put(key, Json.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(String key) {
        store.delete(key);
    }

    /** Up to {@code limit} entries whose key starts with {@code prefix}, in key order. */
    List<Map.Entry<String, T>> prefix(String prefix, int limit) {
        List<Map.Entry<String, T>> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it =
                store.prefixScan(prefix, new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext() && out.size() < limit) {
                KeyValue<String, byte[]> next = it.next();
                out.add(Map.entry(next.key, decode(next.value)));
            }
        }
        return out;
    }

    /** Every key, for sweeps over small stores. */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                out.add(it.next().key);
            }
        }
        return out;
    }

    private T decode(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
