package io.kroute.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of a router artifact directory, read within the bounds of {@link RouterModel}: a directory of too many or
 * too large files, or holding anything but regular files and directories (a link, a device), is refused before a byte
 * of it is read; and every read stops at the bound, in case a file grows while it is read.
 */
final class ArtifactFiles {

    private static final int BUFFER_BYTES = 64 * 1024;

    private ArtifactFiles() {}

    /** Every regular file below {@code dir} by its relative name ({@code /}-separated), in name order. */
    static SortedMap<String, Path> list(Path dir) {
        SortedMap<String, Path> files = new TreeMap<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                private int directories;
                private long total;

                @Override
                public FileVisitResult preVisitDirectory(Path subdir, BasicFileAttributes attrs) {
                    if (++directories > RouterModel.MAX_FILES) {
                        throw refused(dir, "holds more than " + RouterModel.MAX_FILES + " directories");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = dir.relativize(file).toString().replace('\\', '/');
                    if (!attrs.isRegularFile()) {
                        throw refused(dir, "holds '" + name + "', which is not a regular file (a link?)");
                    }
                    if (files.size() == RouterModel.MAX_FILES) {
                        throw refused(dir, "holds more than " + RouterModel.MAX_FILES + " files");
                    }
                    total += checkSize(name, attrs.size(), total);
                    files.put(ArtifactPaths.check(name), file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read router directory " + dir, e);
        }
        if (files.isEmpty()) {
            throw refused(dir, "holds no file");
        }
        return files;
    }

    /**
     * Checks one more file of {@code size} bytes, after {@code total} bytes of the others.
     *
     * @return {@code size}
     */
    static long checkSize(String name, long size, long total) {
        if (size > RouterModel.MAX_FILE_BYTES) {
            throw new InvalidMessageException("artifact file '" + name + "' has " + size + " bytes, more than "
                    + RouterModel.MAX_FILE_BYTES + " allowed for a file");
        }
        if (total + size > RouterModel.MAX_ARTIFACT_BYTES) {
            throw new InvalidMessageException(
                    "artifact has more than " + RouterModel.MAX_ARTIFACT_BYTES + " bytes allowed for its files");
        }
        return size;
    }

    /** Reads the listed files whole: for a publisher packing its own artifact inline. */
    static Map<String, byte[]> read(SortedMap<String, Path> files) {
        Map<String, byte[]> contents = new TreeMap<>();
        long[] total = {0};
        files.forEach((name, file) -> {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes((int) RouterModel.MAX_FILE_BYTES + 1);
                total[0] += checkSize(name, bytes.length, total[0]);
                contents.put(name, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read router file " + file, e);
            }
        });
        return contents;
    }

    /**
     * Copies the listed files below {@code target}, hashing them on the way as {@link #checksum} does.
     *
     * @return the checksum of what was copied
     */
    static String copy(SortedMap<String, Path> files, Path target) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path out = target.resolve(file.getKey());
            digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            long size = 0;
            try {
                Files.createDirectories(out.getParent());
                try (InputStream in = Files.newInputStream(file.getValue(), LinkOption.NOFOLLOW_LINKS);
                        OutputStream sink = Files.newOutputStream(out)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        size += n;
                        checkSize(file.getKey(), size, total); // a file that grew since it was listed
                        digest.update(buffer, 0, n);
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy router file " + file.getValue(), e);
            }
            total += size;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 over each file's name, a zero byte and its bytes, in name order. */
    static String checksum(Map<String, byte[]> contents) {
        MessageDigest digest = sha256();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(contents).entrySet()) {
            digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(file.getValue());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Writes {@code contents} below {@code target}, whose names were {@link ArtifactPaths#check checked}. */
    static void write(Map<String, byte[]> contents, Path target) {
        try {
            for (Map.Entry<String, byte[]> file : contents.entrySet()) {
                Path out = target.resolve(file.getKey());
                Files.createDirectories(out.getParent());
                Files.write(out, file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write router files to " + target, e);
        }
    }

    /** Deletes {@code dir} and what it holds; links are deleted, never followed. */
    static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static InvalidMessageException refused(Path dir, String why) {
        return new InvalidMessageException("router directory " + dir + " " + why);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
