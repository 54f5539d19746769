package io.kroute.stream;

import io.kroute.schemas.PromptRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The prompts of one task that are read (their offsets may be committed) but not routed yet, waiting for their batch:
 * in memory for scoring, and in a changelogged store keyed by offset, so a task restored elsewhere after a crash routes
 * them. Each is stored with what a dead letter needs (the original bytes and where they came from).
 */
final class PendingPrompts {

    static final String STORE = "route-pending-prompts";

    /**
     * A prompt waiting for its batch.
     *
     * @param offset its offset in the source partition (the store key; batches keep this order)
     * @param key the record key as text, or null
     * @param value the original bytes, for a dead letter if scoring fails
     * @param timestamp the record timestamp, kept on the routed record
     * @param topic where it came from
     * @param partition where it came from
     * @param request the decoded, valid request
     */
    record Pending(
            long offset,
            String key,
            byte[] value,
            long timestamp,
            String topic,
            int partition,
            PromptRequest request) {}

    private final KeyValueStore<Long, byte[]> store;
    private final List<Pending> waiting = new ArrayList<>();

    private PendingPrompts(KeyValueStore<Long, byte[]> store) {
        this.store = store;
    }

    /** The prompts the store holds (left by a crashed or moved task), in offset order. */
    static PendingPrompts restore(KeyValueStore<Long, byte[]> store, BiFunction<byte[], Long, PromptRequest> decode) {
        PendingPrompts pending = new PendingPrompts(store);
        try (KeyValueIterator<Long, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Long, byte[]> entry = all.next();
                pending.waiting.add(read(entry.key, entry.value, decode));
            }
        }
        pending.waiting.sort(Comparator.comparingLong(Pending::offset));
        return pending;
    }

    void add(Pending prompt) {
        store.put(prompt.offset(), write(prompt));
        waiting.add(prompt);
    }

    int size() {
        return waiting.size();
    }

    /** Every prompt waiting, in offset order, no longer waiting once returned (nor in the store). */
    List<Pending> drain() {
        List<Pending> batch = List.copyOf(waiting);
        waiting.clear();
        for (Pending prompt : batch) {
            store.delete(prompt.offset());
        }
        return batch;
    }

    private static byte[] write(Pending prompt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(prompt.value().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] key = prompt.key() == null ? null : prompt.key().getBytes(StandardCharsets.UTF_8);
            out.writeInt(key == null ? -1 : key.length);
            if (key != null) {
                out.write(key);
            }
            out.writeLong(prompt.timestamp());
            out.writeUTF(prompt.topic());
            out.writeInt(prompt.partition());
            out.writeInt(prompt.value().length);
            out.write(prompt.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Pending read(long offset, byte[] stored, BiFunction<byte[], Long, PromptRequest> decode) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            int keyLength = in.readInt();
            String key = null;
            if (keyLength >= 0) {
                byte[] keyBytes = new byte[keyLength];
                in.readFully(keyBytes);
                key = new String(keyBytes, StandardCharsets.UTF_8);
            }
            long timestamp = in.readLong();
            String topic = in.readUTF();
            int partition = in.readInt();
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            return new Pending(offset, key, value, timestamp, topic, partition, decode.apply(value, timestamp));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
