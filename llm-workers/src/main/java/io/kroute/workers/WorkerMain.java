package io.kroute.workers;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the workers: {@code WorkerMain --config etc/llm-workers.yaml}. Bad arguments or config print one line on stderr
 * and exit with status 2; SIGTERM stops gracefully (in-flight calls finish, offsets are committed).
 */
public final class WorkerMain {

    static final String USAGE = "usage: llm-workers --config <path to llm-workers.yaml>";
    private static final String LOGBACK_CONFIG = "kroute-llm-workers-logback.xml";

    private WorkerMain() {}

    public static void main(String[] args) {
        WorkerConfig config;
        try {
            config = WorkerConfigLoader.load(parseConfigPath(args));
        } catch (IllegalArgumentException e) {
            System.err.println("llm-workers: " + e.getMessage());
            System.exit(2);
            return;
        }
        // set before the first logger exists; a logging config given with -D wins
        System.setProperty(
                "logback.configurationFile", System.getProperty("logback.configurationFile", LOGBACK_CONFIG));
        Logger log = LoggerFactory.getLogger(WorkerMain.class);

        Vertx vertx = Vertx.vertx();
        WorkerApp app;
        try {
            app = WorkerApp.start(vertx, config).await(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            log.error("cannot start the workers", e);
            vertx.close();
            System.exit(1);
            return;
        }
        long stopTimeoutMs = config.shutdownTimeoutMs() + 30_000;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping the workers");
                            try {
                                app.stop().eventually(vertx::close).await(stopTimeoutMs, TimeUnit.MILLISECONDS);
                            } catch (Exception e) {
                                log.warn("graceful stop did not finish: {}", e.toString());
                            }
                        },
                        "llm-workers-shutdown"));
        log.info("llm-workers running; send SIGTERM to stop");
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
