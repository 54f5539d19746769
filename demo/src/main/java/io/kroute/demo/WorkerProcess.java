package io.kroute.demo;

import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workers ({@code io.kroute.workers.WorkerMain}) as a child JVM with a config file written for it, so a test or
 * the load command can kill it with SIGKILL, stop it with SIGTERM, or measure it as one process.
 */
public final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Writes {@code <dir>/<name>.yaml}, starts the workers with it and logs to {@code <dir>/<name>.log}. */
    public static WorkerProcess start(WorkerConfig config, Path dir, String name, String... jvmOptions)
            throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, WorkerConfigLoader.toYaml(config));
        Path log = dir.resolve(name + ".log");
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "io.kroute.workers.WorkerMain",
                "--config",
                file.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new WorkerProcess(process, log);
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

    public boolean isAlive() {
        return process.isAlive();
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
