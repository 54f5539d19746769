package io.kroute.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A router artifact on the compacted {@code router-models} topic, keyed by {@code channel}: the last record of a
 * channel is the router every router-stream instance following that channel serves. Rolling back is publishing an
 * older version again.
 *
 * <p>A router directory (ONNX graphs and a model card) travels inline as base64 {@code files}; an artifact too large
 * for a record travels as a {@code location} (a directory path every instance can read) with the same checksum. The
 * checksum proves the files are the ones published; the signature proves who published them (see
 * {@link RouterModelSigner}, {@link TrustedKeys}).
 *
 * @param channel the record key, e.g. {@code default}
 * @param version the router version; it names every decision the router makes
 * @param kind the router kind, e.g. {@code mf}
 * @param sha256 checksum of the artifact: SHA-256 over each file's relative path and bytes, in path order
 * @param files relative path to base64 content, or null when {@code location} is given
 * @param location a directory holding the artifact, or null when {@code files} is given
 * @param publishedAt epoch milliseconds
 * @param reason why it was published (promotion metrics, rollback), for the audit trail
 * @param signature Ed25519 signature (base64) of the publisher over channel, version, kind, checksum and location; null
 *     when unsigned
 * @param keyId the id of the key that made {@code signature} ({@link SigningKeys#keyId}); null when unsigned
 */
public record RouterModel(
        String channel,
        String version,
        String kind,
        String sha256,
        Map<String, String> files,
        String location,
        long publishedAt,
        String reason,
        String signature,
        String keyId) {

    public RouterModel {
        files = files == null ? null : Map.copyOf(new TreeMap<>(files));
    }

    /**
     * The most an artifact may weigh to travel inline: base64 adds a third, and the {@code router-models} topic takes
     * records of up to 16 MiB.
     */
    public static final long INLINE_LIMIT_BYTES = 10L * 1024 * 1024;

    /** Files an artifact may hold (and directories it may nest them in): a router needs a handful. */
    public static final int MAX_FILES = 64;

    /** Bytes one file of an artifact may have. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    /** Bytes all files of an artifact may have together: what a router-stream unpacks and loads. */
    public static final long MAX_ARTIFACT_BYTES = 64L * 1024 * 1024;

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
        long size = 0;
        for (Path file : ArtifactFiles.list(dir).values()) {
            try {
                size += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return size <= inlineLimitBytes
                ? inline(channel, version, kind, dir, publishedAt, reason)
                : byLocation(channel, version, kind, dir, publishedAt, reason);
    }

    /** Packs every regular file below {@code dir} inline, unsigned. */
    public static RouterModel inline(
            String channel, String version, String kind, Path dir, long publishedAt, String reason) {
        Map<String, byte[]> contents = ArtifactFiles.read(ArtifactFiles.list(dir));
        Map<String, String> files = new TreeMap<>();
        contents.forEach((path, bytes) -> files.put(path, Base64.getEncoder().encodeToString(bytes)));
        return new RouterModel(
                channel, version, kind, ArtifactFiles.checksum(contents), files, null, publishedAt, reason, null, null);
    }

    /** Refers to {@code dir} by path, with its checksum, unsigned, for artifacts too large to travel in a record. */
    public static RouterModel byLocation(
            String channel, String version, String kind, Path dir, long publishedAt, String reason) {
        String checksum = ArtifactFiles.checksum(ArtifactFiles.read(ArtifactFiles.list(dir)));
        return new RouterModel(
                channel,
                version,
                kind,
                checksum,
                null,
                dir.toAbsolutePath().toString(),
                publishedAt,
                reason,
                null,
                null);
    }

    /** This artifact with a signature of its publisher. */
    public RouterModel signed(String signature, String keyId) {
        return new RouterModel(channel, version, kind, sha256, files, location, publishedAt, reason, signature, keyId);
    }

    /**
     * This artifact published again (a rollback): the time and reason change, the signature stays valid since it
     * covers neither.
     */
    public RouterModel republished(long publishedAt, String reason) {
        return new RouterModel(channel, version, kind, sha256, files, location, publishedAt, reason, signature, keyId);
    }

    /** As {@link #materialize(Path, Path)} with no location root: for an artifact that travels inline. */
    public Path materialize(Path target) {
        return materialize(target, null);
    }

    /**
     * Puts the artifact in {@code target}, its files verified before they land there: inline files are decoded and
     * checked in memory; a location's files are copied (within the size bounds) into a directory next to
     * {@code target} and checked there. Only a verified artifact is moved to {@code target}, in one atomic rename,
     * replacing what was there; nothing of a refused one stays on disk.
     *
     * @param locationRoot the only directory a location may point into; null refuses artifacts by location
     * @return {@code target}
     * @throws InvalidMessageException when a file name, a size, the location or the checksum is refused
     */
    public Path materialize(Path target, Path locationRoot) {
        Path parent = target.toAbsolutePath().getParent();
        Path incoming = null;
        try {
            Files.createDirectories(parent);
            if (files != null) {
                Map<String, byte[]> contents = decodeFiles();
                verify(ArtifactFiles.checksum(contents));
                incoming = Files.createTempDirectory(parent, ".incoming-");
                ArtifactFiles.write(contents, incoming);
            } else if (location != null) {
                SortedMap<String, Path> listed = ArtifactFiles.list(locationIn(locationRoot));
                incoming = Files.createTempDirectory(parent, ".incoming-");
                verify(ArtifactFiles.copy(listed, incoming));
            } else {
                throw new InvalidMessageException("router model has neither files nor a location");
            }
            ArtifactFiles.delete(target); // an earlier unpack of this version, e.g. before a restart
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack router model " + id() + " into " + target, e);
        } finally {
            if (incoming != null) {
                ArtifactFiles.delete(incoming);
            }
        }
    }

    private Map<String, byte[]> decodeFiles() {
        if (files.size() > MAX_FILES) {
            throw new InvalidMessageException(
                    "router model " + id() + " has " + files.size() + " files, more than " + MAX_FILES + " allowed");
        }
        Map<String, byte[]> contents = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, String> file : files.entrySet()) {
            String name = ArtifactPaths.check(file.getKey());
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(file.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidMessageException("artifact file '" + name + "' is not base64: " + e.getMessage());
            }
            total += ArtifactFiles.checkSize(name, bytes.length, total);
            contents.put(name, bytes);
        }
        return contents;
    }

    /** The location's directory, resolved through links, if it is inside {@code locationRoot}. */
    private Path locationIn(Path locationRoot) {
        if (locationRoot == null) {
            throw new InvalidMessageException(
                    "router model " + id() + " travels by location and no location root is configured");
        }
        Path root;
        try {
            root = locationRoot.toRealPath();
        } catch (IOException e) {
            throw new InvalidMessageException("location root " + locationRoot + " cannot be read: " + e);
        }
        Path dir;
        try {
            dir = Path.of(location);
        } catch (InvalidPathException e) {
            throw new InvalidMessageException("router model location is not a path: " + e.getMessage());
        }
        // Checked on the name first, so that a path elsewhere (/etc) is not even looked at.
        Path named = dir.normalize();
        boolean underRoot = named.startsWith(root)
                || named.startsWith(locationRoot.toAbsolutePath().normalize());
        if (!dir.isAbsolute() || !underRoot) {
            throw new InvalidMessageException(
                    "router model location " + location + " is outside the location root " + locationRoot);
        }
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new InvalidMessageException("router model location " + location + " cannot be read: " + e);
        }
        if (!real.startsWith(root)) {
            throw new InvalidMessageException(
                    "router model location " + location + " leads outside the location root " + locationRoot);
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidMessageException("router model location is not a directory: " + location);
        }
        return real;
    }

    private void verify(String actual) {
        if (!actual.equals(sha256)) {
            throw new InvalidMessageException(
                    "router model " + id() + " checksum mismatch: expected " + sha256 + ", got " + actual);
        }
    }

    private String id() {
        return channel + "@" + version;
    }
}
