package io.kroute.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The names a router artifact gives its files, in a {@link RouterModel} record or in a model card. A checksum and a
 * signature cover only the files inside the artifact, so a name that is absolute, climbs out with {@code ..}, or leads
 * out through a symbolic link would make a router read a file nobody vouched for.
 */
public final class ArtifactPaths {

    /** Longer names are refused: no router needs them, and they would only lengthen error messages. */
    public static final int MAX_NAME_CHARS = 255;

    private ArtifactPaths() {}

    /**
     * Checks that {@code name} is a plain relative path: segments separated by {@code /}, none empty, {@code .} or
     * {@code ..}, no backslash (a separator on Windows) and no NUL.
     *
     * @return {@code name}
     * @throws InvalidMessageException otherwise
     */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidMessageException("an artifact file has an empty name");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw new InvalidMessageException("artifact file name longer than " + MAX_NAME_CHARS + " characters");
        }
        boolean plain = !name.contains("\\") && name.indexOf('\0') < 0;
        for (String segment : name.split("/", -1)) {
            plain &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        }
        if (!plain) {
            throw new InvalidMessageException(
                    "artifact file name '" + name + "' is not a relative path inside the artifact");
        }
        return name;
    }

    /**
     * The file {@code name} of the artifact in {@code dir}, once {@link #check checked} and, when it exists, resolved
     * through any symbolic link to a file that is still inside {@code dir}.
     *
     * @throws InvalidMessageException when the name or a link leads outside {@code dir}
     */
    public static Path resolve(Path dir, String name) {
        Path file = dir.resolve(check(name));
        if (!Files.exists(file)) {
            return file; // reading it fails with the name, as for any missing file
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(dir.toRealPath())) {
                throw new InvalidMessageException("artifact file '" + name + "' links outside the artifact");
            }
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve artifact file " + file, e);
        }
    }
}
