package io.kroute.router.encoder;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Vectors on disk, keyed by the SHA-256 of the text, one append-only file per encoder id. Record format: 32 bytes of
 * hash then {@code dimension} big-endian floats; the file starts with a header of magic, version and dimension. A
 * torn last record (a killed run) is ignored on reading.
 */
public final class EmbeddingCache {

    private static final int MAGIC = 0x4b524543; // "KREC"
    private static final int VERSION = 1;

    private final Path file;
    private final int dimension;
    private final Map<ByteBuffer, float[]> vectors = new HashMap<>();

    public EmbeddingCache(Path directory, String encoderId, int dimension) {
        this.dimension = dimension;
        String safe = encoderId.replaceAll("[^A-Za-z0-9._-]", "_");
        this.file = directory.resolve(safe + ".vec");
        try {
            Files.createDirectories(directory);
            if (Files.exists(file)) {
                read();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding cache " + file, e);
        }
    }

    /** {@code $KROUTE_EMBEDDING_CACHE}, else {@code ~/.cache/kroute/embeddings}. */
    public static Path defaultDirectory() {
        String configured = System.getenv("KROUTE_EMBEDDING_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kroute", "embeddings");
    }

    public Path file() {
        return file;
    }

    public synchronized float[] get(String text) {
        return vectors.get(key(text));
    }

    public synchronized int size() {
        return vectors.size();
    }

    /** Stores vectors and appends them to the file in one write. */
    public synchronized void putAll(Map<String, float[]> entries) {
        boolean fresh = !Files.exists(file);
        try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            if (fresh) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(dimension);
            }
            for (Map.Entry<String, float[]> entry : entries.entrySet()) {
                ByteBuffer key = key(entry.getKey());
                if (vectors.putIfAbsent(key, entry.getValue()) != null) {
                    continue;
                }
                out.write(key.array());
                for (float v : entry.getValue()) {
                    out.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the embedding cache " + file, e);
        }
    }

    private void read() throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION || in.readInt() != dimension) {
                throw new IOException("not an embedding cache of dimension " + dimension + ": " + file);
            }
            byte[] hash = new byte[32];
            while (true) {
                float[] vector = new float[dimension];
                try {
                    in.readFully(hash);
                    for (int d = 0; d < dimension; d++) {
                        vector[d] = in.readFloat();
                    }
                } catch (EOFException end) {
                    return;
                }
                vectors.put(ByteBuffer.wrap(hash.clone()), vector);
            }
        }
    }

    private static ByteBuffer key(String text) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
