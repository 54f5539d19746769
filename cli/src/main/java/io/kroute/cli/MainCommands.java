package io.kroute.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UnmatchedArgsBinding;

/**
 * The commands that start what {@code ops/demo.sh}, {@code ops/run} and {@code ops/router} start: the same mains, in
 * this JVM, with every argument passed on as given. Each main parses its own options and answers {@code --help} with
 * its usage, so {@code kroute demo --help} prints exactly what {@code ops/demo.sh --help} does; bad usage is its one
 * line and exit 2.
 */
final class MainCommands {

    /** ops/run's components: name, main class, what it is. */
    static final Map<String, String[]> COMPONENTS = new LinkedHashMap<>();

    static {
        component(
                "kafka", "io.kroute.demo.LocalKafkaMain", "A local KRaft cluster on 127.0.0.1:9092 with every topic.");
        component("router-stream", "io.kroute.stream.RouterStreamMain", "The router-stream: --config FILE.");
        component("workers", "io.kroute.workers.WorkerMain", "The LLM workers: --config FILE.");
        component(
                "batch-gateway",
                "io.kroute.batch.BatchGatewayMain",
                "The OpenAI Files and Batches API on Kafka: --config FILE.");
        component(
                "replay-llm",
                "io.kroute.replay.ReplayServerMain",
                "The replay LLM endpoint: recorded answers over the OpenAI protocol.");
        component(
                "retrainer", "io.kroute.retrain.RetrainerMain", "The feedback join and the retrainer: --config FILE.");
        component("signing-keys", "io.kroute.retrain.SigningKeysMain", "An Ed25519 key pair to sign router artifacts.");
        component("load-workers", "io.kroute.demo.LoadWorkersMain", "The workers' throughput, measured.");
        component("load-router", "io.kroute.demo.LoadRouterMain", "The router-stream's throughput, measured.");
        component("load-batch", "io.kroute.demo.LoadBatchMain", "The batch gateway under load, measured.");
    }

    /** ops/router's commands. */
    static final Map<String, String> ROUTER = new LinkedHashMap<>();

    static {
        ROUTER.put("train", "Train a router (or, with --kind quality-ridge, a many-model predictor).");
        ROUTER.put("calibrate", "Calibrate a router's threshold on a sample of prompts.");
        ROUTER.put("eval", "Evaluate router kinds (RouteLLM's metrics), or with --models the many-model selector.");
        ROUTER.put("share", "What a router's threshold gives per kind of traffic, without labels.");
        ROUTER.put("score", "Score one prompt read from standard input.");
        ROUTER.put("data", "Write a data set in the training formats.");
        ROUTER.put("static-table", "Distil a static token table from a sentence encoder.");
    }

    private MainCommands() {}

    private static void component(String name, String main, String description) {
        COMPONENTS.put(name, new String[] {main, description});
    }

    /** Adds demo, run, router, rollback and publish to the kroute command line. */
    static void addTo(CommandLine kroute) {
        kroute.addSubcommand(
                "demo",
                passThrough(
                        "io.kroute.demo.DemoMain",
                        "The main job: the whole pipeline on a"
                                + " local broker, a benchmark's prompts through it, a report (ops/demo.sh). --help lists its options."));
        CommandLine run = new CommandLine(CommandSpec.create().name("run").mixinStandardHelpOptions(true));
        run.getCommandSpec().usageMessage().description("Run one component of kroute, as ops/run does.");
        COMPONENTS.forEach((name, main) -> run.addSubcommand(name, passThrough(main[0], main[1])));
        kroute.addSubcommand("run", run);
        CommandLine router = new CommandLine(CommandSpec.create().name("router").mixinStandardHelpOptions(true));
        router.getCommandSpec()
                .usageMessage()
                .description("Train, calibrate, evaluate and try routers, as ops/router does (docs/routers.md).");
        ROUTER.forEach((name, description) -> router.addSubcommand(name, routerCommand(name, description)));
        router.addSubcommand("bench", bench());
        kroute.addSubcommand("router", router);
        kroute.addSubcommand(
                "rollback",
                passThrough(
                        "io.kroute.retrain.RollbackMain",
                        "Serve an earlier router"
                                + " version on a channel of router-models (--bootstrap-servers, --to VERSION)."));
        kroute.addSubcommand(
                "publish",
                passThrough(
                        "io.kroute.retrain.PublishMain",
                        "Serve a router directory trained elsewhere (a two-model router, or a predictor for many"
                                + " models) on a channel of router-models, without a restart (--bootstrap-servers,"
                                + " --dir DIR)."));
    }

    /** JMH's short settings for a 2-core shared machine, as ops/router bench uses them when given none. */
    static final String[] BENCH_DEFAULTS = {"-f", "1", "-wi", "2", "-w", "5s", "-i", "3", "-r", "10s"};

    static final String BENCH_USAGE = "usage: kroute router bench [BENCHMARK REGEX] [JMH options] (none given: "
            + String.join(" ", BENCH_DEFAULTS) + "; -h lists JMH's own options). Benchmarks: RouterBenchmark (encoder"
            + " plus router, batched and single), SelectionBenchmark (choosing among 16 models).";

    /** JMH over the benchmarks module, in this JVM's class path (JMH forks its runs with it). */
    private static CommandSpec bench() {
        List<String> args = new ArrayList<>();
        Callable<Integer> call = () -> {
            if (args.contains("--help")) {
                System.out.println(BENCH_USAGE);
                return 0;
            }
            String[] given = args.isEmpty() ? BENCH_DEFAULTS : args.toArray(String[]::new);
            try {
                new org.openjdk.jmh.runner.options.CommandLineOptions(given);
            } catch (org.openjdk.jmh.runner.options.CommandLineOptionException e) {
                // JMH's own parser would print two lines and exit 1: bad usage is one line and 2 here
                System.err.println("kroute router bench: " + e.getMessage() + "; try --help");
                return 2;
            }
            org.openjdk.jmh.Main.main(given);
            return 0;
        };
        CommandSpec spec = CommandSpec.wrapWithoutInspection(call);
        spec.usageMessage()
                .description("Measure routing speed with JMH (docs/routers.md, Routing speed). --help lists"
                        + " its options.");
        spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new Collect(args)));
        return spec;
    }

    /** A command whose arguments all go to a main. */
    private static CommandSpec passThrough(String mainClass, String description) {
        List<String> args = new ArrayList<>();
        Callable<Integer> call = () -> {
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            try {
                main.invoke(null, (Object) args.toArray(String[]::new));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            return 0;
        };
        CommandSpec spec = CommandSpec.wrapWithoutInspection(call);
        spec.usageMessage().description(description);
        spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new Collect(args)));
        return spec;
    }

    private static CommandSpec routerCommand(String command, String description) {
        List<String> args = new ArrayList<>();
        Callable<Integer> call = () -> {
            List<String> all = new ArrayList<>();
            all.add(command);
            all.addAll(args);
            return io.kroute.router.cli.RouterCli.run(all.toArray(String[]::new), System.in, System.out, System.err);
        };
        CommandSpec spec = CommandSpec.wrapWithoutInspection(call);
        spec.usageMessage().description(description + " --help lists its options.");
        spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new Collect(args)));
        return spec;
    }

    /** Keeps the unmatched arguments of a parse, in order. */
    private static final class Collect implements CommandLine.Model.ISetter {
        private final List<String> into;

        Collect(List<String> into) {
            this.into = into;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T value) {
            into.clear();
            if (value != null) {
                into.addAll(List.of((String[]) value));
            }
            return null;
        }
    }
}
