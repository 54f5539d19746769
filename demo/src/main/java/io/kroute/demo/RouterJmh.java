package io.kroute.demo;

import io.kroute.benchmarks.RouterBenchmark;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The router's own rate, measured by the same JMH benchmark as {@code ops/router bench} ({@link RouterBenchmark}, on
 * the prompts the load command sends, encoded as shipped), in a forked JVM, so the load command prints it beside the
 * stream's rate from the same run on the same machine.
 *
 * @param batchedPerSecond prompts per second scored 64 at a time on one thread (what a batching stream can reach)
 * @param batchedError the 99.9% confidence half-width of that rate
 * @param batchedTwoThreadsPerSecond the same with two threads calling the router at once (both cores, as the stream's
 *     two threads use them)
 * @param singlePerSecond prompts per second scored one at a time (1000 / mean ms per prompt)
 */
record RouterJmh(
        double batchedPerSecond, double batchedError, double batchedTwoThreadsPerSecond, double singlePerSecond) {

    static RouterJmh measure(String router) throws RunnerException {
        // A class path over 4 KiB on the fork's command line crashes ONNX Runtime (see ChildJvm): JMH puts it in a jar.
        System.setProperty("jmh.separateClasspathJAR", "true");
        RunResult batched = single(run(router, "batchedPromptsPerSecond", 1));
        RunResult twoThreads = single(run(router, "batchedPromptsPerSecond", 2));
        RunResult single = single(run(router, "singlePromptLatency", 1));
        return new RouterJmh(
                batched.getPrimaryResult().getScore(),
                batched.getPrimaryResult().getScoreError(),
                twoThreads.getPrimaryResult().getScore(),
                1000.0 / single.getPrimaryResult().getScore());
    }

    private static Collection<RunResult> run(String router, String benchmark, int threads) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(RouterBenchmark.class.getName() + "." + benchmark + "$")
                .param("router", router)
                .param("encoderMode", "exact")
                .param("promptSet", "load")
                .forks(1)
                .threads(threads)
                .warmupIterations(2)
                .warmupTime(TimeValue.seconds(5))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(6))
                .shouldFailOnError(true)
                .build();
        return new Runner(options).run();
    }

    private static RunResult single(Collection<RunResult> results) {
        if (results.size() != 1) {
            throw new IllegalStateException("expected one JMH result, got " + results.size());
        }
        return results.iterator().next();
    }
}
