package io.kroute.demo;

import io.kroute.batch.BatchGatewayConfig;
import io.kroute.runtime.YamlConfig;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A component run as a child JVM through the same {@code main} a deployment runs, with a config file written for it
 * (the reference file with a run's overrides), so a test, the load commands or the chaos demo can kill it with
 * SIGKILL, stop it with SIGTERM, restart it, or measure it as one process.
 */
public final class ComponentProcess implements AutoCloseable {

    private static final String ROUTER_STREAM_MAIN = "io.kroute.stream.RouterStreamMain";
    private static final String WORKERS_MAIN = "io.kroute.workers.WorkerMain";
    private static final String RETRAINER_MAIN = "io.kroute.retrain.RetrainerMain";
    private static final String PASS_THROUGH_MAIN = "io.kroute.demo.PassThroughStreamMain";
    private static final String BATCH_GATEWAY_MAIN = "io.kroute.batch.BatchGatewayMain";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<String> command;
    private final Path log;
    private final int opsPort;
    private final Map<String, String> env;
    private volatile Process process;

    private ComponentProcess(List<String> command, Path log, int opsPort, Map<String, String> env) throws IOException {
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.log = log;
        this.opsPort = opsPort;
        this.process = launch();
    }

    /** Writes {@code <dir>/<name>.yaml}, starts the workers with it and logs to {@code <dir>/<name>.log}. */
    public static ComponentProcess workers(WorkerConfig config, Path dir, String name, String... jvmOptions)
            throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, WorkerConfigLoader.toYaml(config));
        return start(WORKERS_MAIN, file, dir, name, config.metricsPort(), jvmOptions);
    }

    /**
     * Writes {@code <dir>/<name>.yaml} and starts the batch gateway with it; {@code env} holds the variables its API
     * keys name. Its {@code /health} is on the API port.
     */
    public static ComponentProcess batchGateway(
            BatchGatewayConfig config, Path dir, String name, Map<String, String> env, String... jvmOptions)
            throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, YamlConfig.toYaml(config));
        return start(BATCH_GATEWAY_MAIN, file, dir, name, config.port(), env, jvmOptions);
    }

    /** Writes {@code <dir>/<name>.properties} and starts the router-stream with it. */
    public static ComponentProcess routerStream(Properties config, Path dir, String name, String... jvmOptions)
            throws IOException {
        return start(ROUTER_STREAM_MAIN, write(config, dir, name), dir, name, opsPort(config), jvmOptions);
    }

    /** Writes {@code <dir>/<name>.properties} and starts the retrainer with it. */
    public static ComponentProcess retrainer(Properties config, Path dir, String name, String... jvmOptions)
            throws IOException {
        return start(RETRAINER_MAIN, write(config, dir, name), dir, name, opsPort(config), jvmOptions);
    }

    /** Writes {@code <dir>/<name>.properties} and starts the load command's pass-through stream with it. */
    static ComponentProcess passThrough(Properties config, Path dir, String name, String... jvmOptions)
            throws IOException {
        return start(PASS_THROUGH_MAIN, write(config, dir, name), dir, name, -1, jvmOptions);
    }

    private static Path write(Properties config, Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, name + ": the reference file with this run's overrides");
        }
        return file;
    }

    private static int opsPort(Properties config) {
        return Integer.parseInt(config.getProperty("kroute.metrics.port", "-1").trim());
    }

    private static ComponentProcess start(
            String main, Path configFile, Path dir, String name, int opsPort, String... jvmOptions) throws IOException {
        return start(main, configFile, dir, name, opsPort, Map.of(), jvmOptions);
    }

    private static ComponentProcess start(
            String main,
            Path configFile,
            Path dir,
            String name,
            int opsPort,
            Map<String, String> env,
            String... jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add(ChildJvm.classPathArgument(dir, name));
        command.add(ChildJvm.loggingArgument());
        command.addAll(List.of(main, "--config", configFile.toString()));
        return new ComponentProcess(command, dir.resolve(name + ".log"), opsPort, env);
    }

    private Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        return builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL: no shutdown hook runs, nothing is committed or closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful stop; returns whether it exited in time. */
    public boolean terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** Starts the same command again (after a kill or a stop), appending to the same log. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            kill();
        }
        process = launch();
    }

    /**
     * Waits until {@code GET /health} on the ops port answers 200; fails at once with the log when the process exits.
     */
    public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        log.getFileName() + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException(log.getFileName() + " not healthy on port " + opsPort + " within " + timeout);
    }

    /** {@code GET path} on the ops port. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public int opsPort() {
        return opsPort;
    }

    /** Waits for the process to exit on its own; returns whether it did in time. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once the process has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    /** The command line the process was started with. */
    public List<String> command() {
        return command;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
