package io.kroute.demo;

import io.kroute.runtime.ComponentMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** How a child JVM (a broker node, a component) gets this JVM's class path. */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * This JVM's class path as a {@code @file} argument written to {@code dir}. On the command line itself, a class path
     * over 4 KiB (a test's, which lists every jar in the local repository) makes ONNX Runtime 1.29 crash with SIGSEGV
     * when it starts: measured here with the same jars, 3 KiB runs, 4.1 KiB crashes, and the same 4.1 KiB in an
     * argument file runs.
     */
    static String classPathArgument(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".classpath");
        if (!Files.exists(file)) {
            // Written once and moved into place whole: a JVM started a moment ago may still be reading it.
            Path partial = Files.createTempFile(dir, name, ".partial");
            String classPath = System.getProperty("java.class.path");
            Files.writeString(partial, "-cp \"" + classPath.replace("\\", "\\\\") + "\"\n");
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return "@" + file;
    }

    /**
     * The components' own logging (INFO to stderr, which goes to the child's log file): not this JVM's, which may write
     * to a file of its own (the demo's), and never logback's default DEBUG.
     */
    static String loggingArgument() {
        return "-Dlogback.configurationFile=" + ComponentMain.LOGBACK_CONFIG;
    }
}
