package io.kroute.router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a router reference from config or the command line into a {@link Router}: {@code random} (optionally
 * {@code random:SEED}), {@code length} (the prompt-length baseline), {@code default} (the router shipped in this
 * jar: ridge-knn over the static MiniLM encoder), {@code mf}, {@code static-mf} or {@code classifier} (the other
 * shipped routers), {@code ridge-knn} or {@code sw-ranking} (built locally by {@code ops/router train --preset NAME},
 * under {@code $KROUTE_ROUTERS}, default {@code target/routers}), {@code classpath:BASE} (a router directory on the
 * classpath), or the path of a trained router directory.
 */
public final class RouterLoader {

    /** Where the shipped router lives on the classpath. */
    public static final String DEFAULT_RESOURCE = "kroute/routers/default";

    /** Routers packaged in this jar under {@code kroute/routers/<name>}, besides {@code default}. */
    public static final List<String> SHIPPED = List.of("mf", "static-mf", "classifier");

    /** Presets built locally by {@code ops/router train --preset <name>} into {@link #localRouters()}. */
    public static final List<String> LOCAL = List.of("ridge-knn", "sw-ranking");

    private RouterLoader() {}

    public static Router load(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("router reference is empty: give 'random' or a router directory");
        }
        if (reference.equals(RandomRouter.KIND)) {
            return new RandomRouter(0);
        }
        if (reference.startsWith(RandomRouter.KIND + ":")) {
            String seed = reference.substring(RandomRouter.KIND.length() + 1);
            try {
                return new RandomRouter(Long.parseLong(seed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("random router seed is not a number: " + seed, e);
            }
        }
        if (reference.equals(LengthRouter.KIND)) {
            return new LengthRouter();
        }
        if (reference.equals("default")) {
            return TrainedRouter.loadResource(DEFAULT_RESOURCE);
        }
        if (SHIPPED.contains(reference)) {
            return TrainedRouter.loadResource("kroute/routers/" + reference);
        }
        if (LOCAL.contains(reference)) {
            Path built = localRouters().resolve(reference);
            if (!Files.isDirectory(built)) {
                throw new IllegalArgumentException("no " + reference + " router at " + built.toAbsolutePath()
                        + " (not shipped: it would add megabytes to the jar): run 'ops/router train --preset "
                        + reference + "'");
            }
            return TrainedRouter.load(built);
        }
        if (reference.startsWith("classpath:")) {
            return TrainedRouter.loadResource(reference.substring("classpath:".length()));
        }
        Path path = Path.of(reference);
        if (Files.isDirectory(path)) {
            return TrainedRouter.load(path);
        }
        throw new IllegalArgumentException("unknown router '" + reference + "': expected 'random', 'random:SEED', "
                + "'length', 'default', " + SHIPPED + ", " + LOCAL + ", 'classpath:BASE' or a router directory");
    }

    /** Where locally built routers live: {@code $KROUTE_ROUTERS}, else {@code target/routers}. */
    public static Path localRouters() {
        String configured = System.getenv("KROUTE_ROUTERS");
        return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("target", "routers");
    }
}
