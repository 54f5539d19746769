package io.kroute.router.encoder;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One vector per vocabulary token, distilled from a sentence encoder: token {@code t}'s row is the encoder's mean
 * pooled output for the sequence {@code [CLS] t [SEP]} (the Model2Vec recipe). Rows are stored int8 with one scale
 * per row, in memory and on disk alike, so a table built here and the one shipped in the jar give the same vectors.
 *
 * <p>File: magic, format version, recipe, model SHA prefix, rows, dimension, then per row a float scale and
 * {@code dimension} bytes, then a CRC-32 of everything before it. Optionally gzipped (the shipped resource).
 */
public final class StaticTokenTable {

    private static final int MAGIC = 0x4b525354; // "KRST"
    private static final int FORMAT = 1;
    private static final int GZIP_MAGIC = 0x1f8b;

    private final String recipe;
    private final String modelSha;
    private final int dimension;
    private final float[] scales;
    private final byte[] values;

    StaticTokenTable(String recipe, String modelSha, int dimension, float[] scales, byte[] values) {
        if (values.length != (long) scales.length * dimension) {
            throw new IllegalArgumentException(
                    "table of " + values.length + " values for " + scales.length + " rows of " + dimension);
        }
        this.recipe = recipe;
        this.modelSha = modelSha;
        this.dimension = dimension;
        this.scales = scales;
        this.values = values;
    }

    /**
     * Runs every token id for which {@code include} holds through the encoder (batch size 1: the int8 graph's output
     * depends on its batch), {@code threads} tokens at a time; the other rows stay zero.
     */
    static StaticTokenTable build(
            OnnxPromptEncoder encoder,
            String recipe,
            int rows,
            long cls,
            long sep,
            java.util.function.IntPredicate include,
            int threads,
            IntConsumer progress) {
        int dimension = encoder.dimension();
        float[] scales = new float[rows];
        byte[] values = new byte[rows * dimension];
        AtomicInteger done = new AtomicInteger();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(() -> IntStream.range(0, rows)
                            .parallel()
                            .filter(include)
                            .forEach(id -> {
                                float[] v = encoder.encodeIds(new long[] {cls, id, sep});
                                scales[id] = quantise(v, values, id * dimension);
                                int n = done.incrementAndGet();
                                if (n % 2048 == 0) {
                                    progress.accept(n);
                                }
                            }))
                    .join();
        } finally {
            pool.shutdown();
        }
        return new StaticTokenTable(recipe, encoder.modelSha(), dimension, scales, values);
    }

    /** Symmetric int8 with the row's largest magnitude at 127; returns the scale. */
    private static float quantise(float[] v, byte[] out, int offset) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        float scale = max == 0 ? 0 : max / 127f;
        for (int d = 0; d < v.length; d++) {
            out[offset + d] = scale == 0 ? 0 : (byte) Math.round(v[d] / scale);
        }
        return scale;
    }

    public String recipe() {
        return recipe;
    }

    public String modelSha() {
        return modelSha;
    }

    public int rows() {
        return scales.length;
    }

    public int dimension() {
        return dimension;
    }

    float scale(int row) {
        return scales[row];
    }

    byte[] values() {
        return values;
    }

    /** Row {@code id} as floats. */
    public float[] row(int id) {
        float[] out = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            out[d] = scales[id] * values[id * dimension + d];
        }
        return out;
    }

    /** Writes to a temporary file in the same directory, then renames it: readers never see a partial table. */
    public void write(Path file, boolean gzip) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream raw = Files.newOutputStream(tmp)) {
                    write(raw, gzip);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the static token table " + file, e);
        }
    }

    void write(OutputStream raw, boolean gzip) throws IOException {
        OutputStream sink = gzip
                ? new GZIPOutputStream(raw, 1 << 16) {
                    {
                        def.setLevel(Deflater.BEST_COMPRESSION);
                    }
                }
                : raw;
        CRC32 crc = new CRC32();
        DataOutputStream out =
                new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(sink, 1 << 16), crc));
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(recipe);
        out.writeUTF(modelSha);
        out.writeInt(scales.length);
        out.writeInt(dimension);
        for (int row = 0; row < scales.length; row++) {
            out.writeFloat(scales[row]);
            out.write(values, row * dimension, dimension);
        }
        out.writeLong(crc.getValue());
        out.flush();
        if (sink instanceof GZIPOutputStream g) {
            g.finish();
        }
        sink.flush();
    }

    /** Reads and checks a table written by {@link #write}, gzipped or not; any damage is an {@link IOException}. */
    public static StaticTokenTable read(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int first = (buffered.read() << 8) | buffered.read();
        buffered.reset();
        InputStream source = first == GZIP_MAGIC ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        CRC32 crc = new CRC32();
        DataInputStream in = new DataInputStream(new CheckedInputStream(source, crc));
        if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException("not a static token table (bad magic or format version)");
        }
        String recipe = in.readUTF();
        String sha = in.readUTF();
        int rows = in.readInt();
        int dimension = in.readInt();
        if (rows <= 0 || dimension <= 0 || (long) rows * dimension > Integer.MAX_VALUE - 8) {
            throw new IOException("static token table with " + rows + " rows of " + dimension);
        }
        float[] scales = new float[rows];
        byte[] values = new byte[rows * dimension];
        for (int row = 0; row < rows; row++) {
            scales[row] = in.readFloat();
            if (!Float.isFinite(scales[row]) || scales[row] < 0) {
                throw new IOException("static token table row " + row + " has scale " + scales[row]);
            }
            in.readFully(values, row * dimension, dimension);
        }
        long expected = crc.getValue();
        if (in.readLong() != expected) {
            throw new IOException("static token table checksum mismatch");
        }
        if (in.read() != -1) {
            throw new IOException("static token table has trailing bytes");
        }
        return new StaticTokenTable(recipe, sha, dimension, scales, values);
    }

    public static StaticTokenTable read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }
}
