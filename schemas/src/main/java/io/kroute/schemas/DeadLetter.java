package io.kroute.schemas;

import java.util.Base64;

/**
 * A record that could not be processed, kept whole with the reason.
 *
 * @param key the original record key as UTF-8, or null
 * @param originalBase64 the original value bytes, base64-encoded, so nothing is lost
 * @param sourceTopic topic the record was read from
 * @param partition partition it was read from, -1 if unknown
 * @param offset offset it was read at, -1 if unknown
 * @param stage the component that gave up on it, e.g. {@code router-stream} or {@code llm-workers}
 * @param reason a human-readable explanation
 * @param failedAt epoch milliseconds
 */
public record DeadLetter(
        String key,
        String originalBase64,
        String sourceTopic,
        int partition,
        long offset,
        String stage,
        String reason,
        long failedAt) {

    /** A dead letter for the record read from {@code sourceTopic} at {@code partition}/{@code offset}. */
    public static DeadLetter of(
            String key,
            byte[] original,
            String sourceTopic,
            int partition,
            long offset,
            String stage,
            String reason,
            long failedAt) {
        String encoded = original == null ? "" : Base64.getEncoder().encodeToString(original);
        return new DeadLetter(key, encoded, sourceTopic, partition, offset, stage, reason, failedAt);
    }

    /** The original value bytes. */
    public byte[] original() {
        return Base64.getDecoder().decode(originalBase64);
    }
}
