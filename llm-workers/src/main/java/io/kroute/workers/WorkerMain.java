package io.kroute.workers;

import io.kroute.runtime.ComponentMain;
import io.kroute.runtime.Usage;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the workers: {@code WorkerMain --config etc/llm-workers.yaml}: loads the file and starts {@link WorkerApp}.
 * Bad arguments or config, or a cluster that does not answer, print one line on stderr and exit with status 2;
 * SIGTERM stops gracefully (in-flight calls finish, offsets are committed).
 */
public final class WorkerMain {

    static final String USAGE = "usage: llm-workers --config <path to llm-workers.yaml>";

    private WorkerMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        ComponentMain.run("llm-workers", () -> start(WorkerConfigLoader.load(parseConfigPath(args))));
    }

    /** Starts the workers on a Vert.x instance of their own, which closing the returned handle stops too. */
    static AutoCloseable start(WorkerConfig config) throws Exception {
        Vertx vertx = Vertx.vertx();
        WorkerApp app;
        try {
            app = WorkerApp.start(vertx, config)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            vertx.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
        long stopTimeoutMs = config.shutdownTimeoutMs() + 30_000;
        return () -> app.stop().eventually(vertx::close).await(stopTimeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The path of {@code --config}; throws IllegalArgumentException with a one-line message otherwise. */
    static Path parseConfigPath(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("missing --config (" + USAGE + ")");
        }
        if (!args[0].equals("--config")) {
            throw new IllegalArgumentException("unknown option " + args[0] + " (" + USAGE + ")");
        }
        if (args.length < 2 || args[1].isBlank()) {
            throw new IllegalArgumentException("missing value for --config (" + USAGE + ")");
        }
        if (args.length > 2) {
            throw new IllegalArgumentException("unexpected argument " + args[2] + " (" + USAGE + ")");
        }
        return Path.of(args[1]);
    }
}
