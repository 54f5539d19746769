package io.kroute.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A router artifact on the compacted {@code router-models} topic, keyed by {@code channel}: the last record of a
 * channel is the router every router-stream instance following that channel serves. Rolling back is publishing an
 * older version again.
 *
 * <p>A router directory (ONNX graphs and a model card) travels inline as base64 {@code files}; an artifact too large
 * for a record travels as a {@code location} (a directory path every instance can read) with the same checksum.
 *
 * @param channel the record key, e.g. {@code default}
 * @param version the router version; it names every decision the router makes
 * @param kind the router kind, e.g. {@code mf}
 * @param sha256 checksum of the artifact: SHA-256 over each file's relative path and bytes, in path order
 * @param files relative path to base64 content, or null when {@code location} is given
 * @param location a directory holding the artifact, or null when {@code files} is given
 * @param publishedAt epoch milliseconds
 * @param reason why it was published (promotion metrics, rollback), for the audit trail
 */
public record RouterModel(
        String channel,
        String version,
        String kind,
        String sha256,
        Map<String, String> files,
        String location,
        long publishedAt,
        String reason) {

    public RouterModel {
        files = files == null ? null : Map.copyOf(new TreeMap<>(files));
    }

    /**
     * The most an artifact may weigh to travel inline: base64 adds a third, and the {@code router-models} topic takes
     * records of up to 16 MiB.
     */
    public static final long INLINE_LIMIT_BYTES = 10L * 1024 * 1024;

    /**
     * Inline when the directory's files total at most {@code inlineLimitBytes}, else by location (the directory must
     * then be readable by every router-stream, e.g. on a shared volume).
     */
    public static RouterModel of(
            String channel,
            String version,
            String kind,
            Path dir,
            long publishedAt,
            String reason,
            long inlineLimitBytes) {
        long size = readTree(dir).values().stream().mapToLong(b -> b.length).sum();
        return size <= inlineLimitBytes
                ? inline(channel, version, kind, dir, publishedAt, reason)
                : byLocation(channel, version, kind, dir, publishedAt, reason);
    }

    /** Packs every regular file below {@code dir} inline. */
    public static RouterModel inline(
            String channel, String version, String kind, Path dir, long publishedAt, String reason) {
        Map<String, byte[]> contents = readTree(dir);
        Map<String, String> files = new TreeMap<>();
        contents.forEach((path, bytes) -> files.put(path, Base64.getEncoder().encodeToString(bytes)));
        return new RouterModel(channel, version, kind, checksum(contents), files, null, publishedAt, reason);
    }

    /** Refers to {@code dir} by path, with its checksum, for artifacts too large to travel in a record. */
    public static RouterModel byLocation(
            String channel, String version, String kind, Path dir, long publishedAt, String reason) {
        return new RouterModel(
                channel,
                version,
                kind,
                checksum(readTree(dir)),
                null,
                dir.toAbsolutePath().toString(),
                publishedAt,
                reason);
    }

    /**
     * Writes the artifact into {@code target} (inline files) or checks the referenced directory, and verifies the
     * checksum either way.
     *
     * @return the directory that holds the verified artifact
     * @throws InvalidMessageException when the checksum does not match or the files are unusable
     */
    public Path materialize(Path target) {
        Map<String, byte[]> contents;
        Path dir;
        if (files != null) {
            contents = new TreeMap<>();
            files.forEach(
                    (path, base64) -> contents.put(path, Base64.getDecoder().decode(base64)));
            dir = target;
            try {
                Files.createDirectories(target);
                for (Map.Entry<String, byte[]> file : contents.entrySet()) {
                    Path out = target.resolve(file.getKey()).normalize();
                    if (!out.startsWith(target.normalize())) {
                        throw new InvalidMessageException("router model file escapes its directory: " + file.getKey());
                    }
                    Files.createDirectories(out.getParent());
                    Files.write(out, file.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (location != null) {
            dir = Path.of(location);
            if (!Files.isDirectory(dir)) {
                throw new InvalidMessageException("router model location is not a directory: " + location);
            }
            contents = readTree(dir);
        } else {
            throw new InvalidMessageException("router model has neither files nor a location");
        }
        String actual = checksum(contents);
        if (!actual.equals(sha256)) {
            throw new InvalidMessageException("router model " + channel + "@" + version
                    + " checksum mismatch: expected " + sha256 + ", got " + actual);
        }
        return dir;
    }

    static Map<String, byte[]> readTree(Path dir) {
        Map<String, byte[]> contents = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                contents.put(dir.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read router directory " + dir, e);
        }
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("router directory is empty: " + dir);
        }
        return contents;
    }

    static String checksum(Map<String, byte[]> contents) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : new TreeMap<>(contents).entrySet()) {
                digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(file.getValue());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
