package io.kroute.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A record that could not be processed, with the reason and enough of it to find and judge it. A dead letter always
 * fits its topic whatever the record was: the original bytes are kept whole up to {@link #MAX_ORIGINAL_BYTES} and cut
 * past it, with the original's size and SHA-256, so the record can be found again in its source topic by partition and
 * offset and recognised by its hash. The key and the reason are cut at their own bounds.
 *
 * @param key the original record key as UTF-8 (at most {@link #MAX_KEY_CHARS} characters), or null
 * @param originalBase64 the original value bytes (at most {@link #MAX_ORIGINAL_BYTES} of them), base64-encoded
 * @param sourceTopic topic the record was read from
 * @param partition partition it was read from, -1 if unknown
 * @param offset offset it was read at, -1 if unknown
 * @param stage the component that gave up on it, e.g. {@code router-stream} or {@code llm-workers}
 * @param reason a human-readable explanation (at most {@link #MAX_REASON_CHARS} characters)
 * @param failedAt epoch milliseconds
 * @param originalSize the size of the original value in bytes; null in dead letters written before sizes were kept
 * @param originalSha256 the SHA-256 of the whole original value, hex; null likewise
 * @param originalTruncated whether {@code originalBase64} holds only the first {@link #MAX_ORIGINAL_BYTES} bytes
 */
public record DeadLetter(
        String key,
        String originalBase64,
        String sourceTopic,
        int partition,
        long offset,
        String stage,
        String reason,
        long failedAt,
        Long originalSize,
        String originalSha256,
        Boolean originalTruncated) {

    /** Original bytes kept in a dead letter: with base64 and the other fields, it stays far below 1 MiB. */
    public static final int MAX_ORIGINAL_BYTES = 64 * 1024;

    public static final int MAX_KEY_CHARS = 1024;
    public static final int MAX_REASON_CHARS = 4096;

    /** A dead letter as written before sizes were kept (tests, old records). */
    public DeadLetter(
            String key,
            String originalBase64,
            String sourceTopic,
            int partition,
            long offset,
            String stage,
            String reason,
            long failedAt) {
        this(key, originalBase64, sourceTopic, partition, offset, stage, reason, failedAt, null, null, null);
    }

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
        byte[] value = original == null ? new byte[0] : original;
        boolean truncated = value.length > MAX_ORIGINAL_BYTES;
        byte[] kept = truncated ? Arrays.copyOf(value, MAX_ORIGINAL_BYTES) : value;
        return new DeadLetter(
                cut(key, MAX_KEY_CHARS),
                Base64.getEncoder().encodeToString(kept),
                sourceTopic,
                partition,
                offset,
                stage,
                cut(reason, MAX_REASON_CHARS),
                failedAt,
                (long) value.length,
                sha256(value),
                truncated);
    }

    /** The original value bytes kept (all of them unless {@link #originalTruncated}). */
    public byte[] original() {
        return Base64.getDecoder().decode(originalBase64);
    }

    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = "... [" + text.length() + " chars]";
        int end = max - marker.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never half a character
        }
        return text.substring(0, end) + marker;
    }

    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key as dead letters keep it: text, cut at {@link #MAX_KEY_CHARS}. */
    public static String key(byte[] key) {
        return key == null ? null : cut(new String(key, StandardCharsets.UTF_8), MAX_KEY_CHARS);
    }
}
