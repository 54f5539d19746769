package io.kroute.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference configuration files in the checkout's {@code etc/}: what a user deploys, and what the demo, the load
 * commands and the integration tests start the components from (overriding only addresses, topic prefixes and what
 * the run itself is about). Found from the working directory or one of its parents, so a module's tests find them as
 * the scripts at the root do.
 */
public final class ReferenceConfig {

    public static final String ROUTER_STREAM = "router-stream.properties";
    public static final String WORKERS = "llm-workers.yaml";
    public static final String RETRAINER = "retrainer.properties";
    /** The many-model deployment: the 16 Arena models behind the shipped performance predictor. */
    public static final String ROUTER_STREAM_ARENA = "router-stream-arena.properties";

    public static final String WORKERS_ARENA = "llm-workers-arena.yaml";

    private ReferenceConfig() {}

    /** {@code etc/<name>} of the checkout; {@code KROUTE_ETC} names another directory. */
    public static Path file(String name) {
        String configured = System.getenv("KROUTE_ETC");
        if (configured != null && !configured.isBlank()) {
            Path file = Path.of(configured).resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
            throw new IllegalArgumentException("no " + name + " in KROUTE_ETC=" + configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path file = dir.resolve("etc").resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException("reference config etc/" + name + " not found from "
                + Path.of("").toAbsolutePath() + " (run from the kroute checkout, or set KROUTE_ETC)");
    }
}
