package io.kroute.batch.files;

import io.kroute.schemas.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The files of the Files API: uploaded input files, read from the files topic's global store chunk by chunk, and each
 * job's output and error files, which are not stored at all but are views of the ledger's results.
 */
public final class BatchFiles {

    private static final String OUTPUT = "-output";
    private static final String ERRORS = "-errors";

    private BatchFiles() {}

    public static String outputFileId(String batchId) {
        return "file-" + batchId + OUTPUT;
    }

    public static String errorFileId(String batchId) {
        return "file-" + batchId + ERRORS;
    }

    /** The batch whose output or error file this is, or null for an uploaded file. */
    public static String batchOfResultFile(String fileId) {
        if (!fileId.startsWith("file-batch_")) {
            return null;
        }
        if (fileId.endsWith(OUTPUT)) {
            return fileId.substring("file-".length(), fileId.length() - OUTPUT.length());
        }
        if (fileId.endsWith(ERRORS)) {
            return fileId.substring("file-".length(), fileId.length() - ERRORS.length());
        }
        return null;
    }

    public static boolean isOutput(String fileId) {
        return fileId.endsWith(OUTPUT);
    }

    public static String chunkKey(String fileId, int chunk) {
        return fileId + "/" + String.format(Locale.ROOT, "%06d", chunk);
    }

    /** An uploaded file's description, or null when there is none (or it is not complete yet). */
    public static FileMeta meta(ReadOnlyKeyValueStore<String, byte[]> files, String fileId) {
        if (fileId.indexOf('/') >= 0) {
            return null;
        }
        byte[] bytes = files.get(fileId);
        if (bytes == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(bytes, FileMeta.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The content of an uploaded file, read one chunk at a time. */
    public static InputStream content(ReadOnlyKeyValueStore<String, byte[]> files, FileMeta meta) {
        return new SequenceInputStream(new Enumeration<InputStream>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next < meta.chunks();
            }

            @Override
            public InputStream nextElement() {
                if (next >= meta.chunks()) {
                    throw new NoSuchElementException();
                }
                byte[] chunk = files.get(chunkKey(meta.id(), next++));
                if (chunk == null) {
                    throw new UncheckedIOException(new IOException(
                            "file " + meta.id() + " is missing chunk " + (next - 1) + " of " + meta.chunks()));
                }
                return new ByteArrayInputStream(chunk);
            }
        });
    }
}
