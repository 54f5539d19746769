package io.kroute.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's command line.
 *
 * @param prompts how many benchmark prompts to send
 * @param strongPct the share of prompts the router should send to the strong model, in percent
 * @param router the router reference ({@code random}, a router directory, or a kind the router module knows)
 * @param calibration {@code card} (the router's calibration sample sets the threshold) or {@code traffic} (the
 *     router-stream takes it from the recent scores of each partition, see {@link io.kroute.stream.TrafficCalibration})
 * @param benchmark {@code gsm8k} or {@code mmlu}
 * @param malformed how many malformed records to send besides the prompts (they must come back as dead letters)
 * @param latencyMs the replay endpoint's latency per call
 * @param seed which prompts are drawn, and in which order
 * @param timeoutSeconds how long to wait for every outcome before giving up
 * @param out where the JSON summary goes
 * @param bootstrapServers an existing broker to use instead of starting one, or null
 * @param faults failures the replay providers inject, see {@link DemoFaults}
 * @param feedback the learning-loop demo's settings ({@code --feedback}), or null for the plain demo
 * @param scale how many brokers and instances run, and whether the chaos schedule kills some of them
 * @param commandConfig client properties (security settings) for an existing cluster, as Kafka's tools take them, or
 *     null
 * @param viaBatchApi send the prompts as one batch job through the batch gateway (OpenAI's Files and Batches API)
 *     instead of producing them to the prompts topic
 * @param models with {@code --benchmark arena}: {@code all} or the comma-separated models (or their queues) to route
 *     among, from etc/router-stream-arena.properties; null for the two-model demo
 * @param targetCostUsd the many-model selector's target average cost per prompt, or null for the reference file's
 */
public record DemoOptions(
        int prompts,
        double strongPct,
        String router,
        String calibration,
        String benchmark,
        int malformed,
        int latencyMs,
        long seed,
        int timeoutSeconds,
        Path out,
        String bootstrapServers,
        DemoFaults faults,
        FeedbackDemo.Settings feedback,
        Scale scale,
        Path commandConfig,
        boolean viaBatchApi,
        String models,
        Double targetCostUsd) {

    /**
     * The deployment of a run: with one of each (the default) every component runs in this JVM; with more, or with
     * {@code --chaos}, each router-stream and worker instance is a child JVM started through its component's main.
     *
     * @param brokers nodes of the local Kafka cluster (1 or 3)
     * @param routerInstances router-stream instances sharing one application id
     * @param workerInstances worker processes sharing the workers' groups
     * @param chaos kill (SIGKILL) and restart a router-stream instance, a worker process and a broker during the run
     */
    public record Scale(int brokers, int routerInstances, int workerInstances, boolean chaos) {

        public static final Scale SINGLE = new Scale(1, 1, 1, false);

        /** Whether the instances run as child processes (more than one of a kind, or faults to inject). */
        public boolean inChildProcesses() {
            return routerInstances > 1 || workerInstances > 1 || chaos;
        }
    }

    static final String USAGE = "usage: ops/demo.sh [--prompts N] [--strong-pct P] [--router NAME|DIR]"
            + " [--calibration card|traffic] [--benchmark gsm8k|mmlu|arena] [--malformed N] [--latency-ms N] [--seed N] [--timeout-s N]"
            + " [--out FILE] [--bootstrap-servers HOST:PORT [--command-config FILE]]"
            + " [--faults 500=R,503=R,429=R,timeout=R,drop=R,outage=TIER:DURATION[@START]]"
            + " [--feedback [--waves N] [--label-pct P] [--retrain-kind mf|classifier|ridge-knn]]"
            + " [--brokers 1|3] [--router-instances N] [--worker-instances N] [--chaos] [--via-batch-api]"
            + " | --benchmark arena --models all|MODEL,MODEL,... [--target-cost-usd X] (many models)";

    /** The options that take a value (an unknown option is named as unknown, not as missing its value). */
    private static final java.util.Set<String> VALUED = java.util.Set.of(
            "--prompts",
            "--strong-pct",
            "--router",
            "--calibration",
            "--benchmark",
            "--malformed",
            "--latency-ms",
            "--seed",
            "--timeout-s",
            "--out",
            "--bootstrap-servers",
            "--command-config",
            "--faults",
            "--brokers",
            "--router-instances",
            "--worker-instances",
            "--waves",
            "--label-pct",
            "--retrain-kind",
            "--models",
            "--target-cost-usd");

    /** {@code --help}: the usage goes to standard output and the demo exits 0. */
    public static final class HelpRequested extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super(USAGE);
        }
    }

    public static DemoOptions defaults() {
        return new DemoOptions(
                500,
                50,
                "default",
                "traffic",
                "gsm8k",
                0,
                20,
                42,
                300,
                Path.of("target/demo/summary.json"),
                null,
                DemoFaults.none(),
                null,
                Scale.SINGLE,
                null,
                false,
                null,
                null);
    }

    /** Parses the arguments; a bad one throws {@link IllegalArgumentException} with a one-line message. */
    public static DemoOptions parse(String[] args) {
        DemoOptions d = defaults();
        int prompts = d.prompts;
        double strongPct = d.strongPct;
        String router = d.router;
        String calibration = d.calibration;
        String benchmark = d.benchmark;
        int malformed = d.malformed;
        int latencyMs = d.latencyMs;
        long seed = d.seed;
        int timeoutSeconds = d.timeoutSeconds;
        Path out = d.out;
        String bootstrapServers = d.bootstrapServers;
        DemoFaults faults = d.faults;
        boolean feedback = false;
        FeedbackDemo.Settings loop = new FeedbackDemo.Settings(6, 100, "classifier");
        boolean loopOptions = false;
        Scale scale = d.scale;
        Path commandConfig = null;
        boolean viaBatchApi = false;
        String models = null;
        Double targetCostUsd = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new HelpRequested();
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'; " + USAGE);
            }
            if (flag.equals("--feedback")) {
                feedback = true;
                continue;
            }
            if (flag.equals("--via-batch-api")) {
                viaBatchApi = true;
                continue;
            }
            if (flag.equals("--chaos")) {
                scale = new Scale(scale.brokers(), scale.routerInstances(), scale.workerInstances(), true);
                continue;
            }
            if (!VALUED.contains(flag)) {
                throw new IllegalArgumentException("unknown option " + flag + "; " + USAGE);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = rest.remove(0);
            switch (flag) {
                case "--prompts" -> prompts = intIn(flag, value, 1, 1_000_000);
                case "--strong-pct" -> strongPct = doubleIn(flag, value, 0, 100);
                case "--router" -> router = nonBlank(flag, value);
                case "--calibration" -> calibration = calibration(value);
                case "--benchmark" -> benchmark = benchmark(value);
                case "--malformed" -> malformed = intIn(flag, value, 0, 1_000_000);
                case "--latency-ms" -> latencyMs = intIn(flag, value, 0, 600_000);
                case "--seed" -> seed = longValue(flag, value);
                case "--timeout-s" -> timeoutSeconds = intIn(flag, value, 1, 86_400);
                case "--out" -> out = Path.of(nonBlank(flag, value));
                case "--bootstrap-servers" -> bootstrapServers = nonBlank(flag, value);
                case "--command-config" -> commandConfig = Path.of(nonBlank(flag, value));
                case "--faults" -> faults = DemoFaults.parse(nonBlank(flag, value));
                case "--brokers" -> scale =
                        new Scale(brokers(value), scale.routerInstances(), scale.workerInstances(), scale.chaos());
                case "--router-instances" -> scale =
                        new Scale(scale.brokers(), intIn(flag, value, 1, 8), scale.workerInstances(), scale.chaos());
                case "--worker-instances" -> scale =
                        new Scale(scale.brokers(), scale.routerInstances(), intIn(flag, value, 1, 8), scale.chaos());
                case "--waves" -> {
                    loop = new FeedbackDemo.Settings(intIn(flag, value, 2, 100), loop.labelPercent(), loop.kind());
                    loopOptions = true;
                }
                case "--label-pct" -> {
                    loop = new FeedbackDemo.Settings(loop.waves(), intIn(flag, value, 1, 100), loop.kind());
                    loopOptions = true;
                }
                case "--retrain-kind" -> {
                    if (!io.kroute.retrain.RetrainerSettings.ROUTER_KINDS.contains(value)) {
                        throw new IllegalArgumentException("--retrain-kind must be one of "
                                + io.kroute.retrain.RetrainerSettings.ROUTER_KINDS + ", got '" + value + "'");
                    }
                    loop = new FeedbackDemo.Settings(loop.waves(), loop.labelPercent(), value);
                    loopOptions = true;
                }
                case "--models" -> models = nonBlank(flag, value);
                case "--target-cost-usd" -> targetCostUsd = doubleIn(flag, value, 0, 1_000);
                default -> throw new IllegalArgumentException("unknown option " + flag + "; " + USAGE);
            }
        }
        if ((models != null) != benchmark.equals("arena")) {
            throw new IllegalArgumentException(
                    "--models routes among the Arena models: give --benchmark arena with --models all|MODEL,...");
        }
        if (targetCostUsd != null && models == null) {
            throw new IllegalArgumentException("--target-cost-usd sets the many-model selector: give --models");
        }
        if (models != null
                && (!router.equals(d.router)
                        || strongPct != d.strongPct
                        || !calibration.equals(d.calibration)
                        || feedback
                        || faults.any()
                        || malformed > 0
                        || viaBatchApi
                        || !scale.equals(Scale.SINGLE))) {
            throw new IllegalArgumentException(
                    "--models routes with the predictor of etc/router-stream-arena.properties:"
                            + " --router, --strong-pct, --calibration, --feedback, --faults, --malformed, --via-batch-api,"
                            + " --brokers, --*-instances and --chaos do not apply to it");
        }
        if (loopOptions && !feedback) {
            throw new IllegalArgumentException("--waves, --label-pct and --retrain-kind need --feedback");
        }
        if (feedback
                && (!router.equals(d.router)
                        || !calibration.equals(d.calibration)
                        || faults.any()
                        || malformed > 0
                        || bootstrapServers != null)) {
            throw new IllegalArgumentException("--feedback starts from the random router on its own broker: "
                    + "--router, --calibration, --faults, --malformed and --bootstrap-servers do not apply to it");
        }
        if (feedback && !scale.equals(Scale.SINGLE)) {
            throw new IllegalArgumentException(
                    "--feedback runs one of each on one broker: --brokers, --*-instances and --chaos do not apply");
        }
        if (viaBatchApi && (feedback || malformed > 0)) {
            // bad batch lines are the gateway's to refuse (BatchApiIT); the learning loop produces its own prompts
            throw new IllegalArgumentException("--via-batch-api sends the benchmark's prompts as one batch job:"
                    + " --feedback and --malformed do not apply to it");
        }
        if (commandConfig != null && bootstrapServers == null) {
            throw new IllegalArgumentException(
                    "--command-config is for a cluster of your own: give --bootstrap-servers");
        }
        if (bootstrapServers != null && scale.brokers() > 1) {
            throw new IllegalArgumentException(
                    "--brokers starts a local cluster; it does not apply with --bootstrap-servers");
        }
        return new DemoOptions(
                prompts,
                strongPct,
                router,
                calibration,
                benchmark,
                malformed,
                latencyMs,
                seed,
                timeoutSeconds,
                out,
                bootstrapServers,
                faults,
                feedback ? loop : null,
                scale,
                commandConfig,
                viaBatchApi,
                models,
                targetCostUsd);
    }

    /**
     * Checks the option at {@code i} of a main's arguments before its value is read: an option the main does not know
     * is named as unknown (not as missing a value), a known one at the end as missing its value.
     */
    static void checkValued(String[] args, int i, java.util.Set<String> known) {
        if (!known.contains(args[i])) {
            throw new IllegalArgumentException("unknown option " + args[i]);
        }
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
    }

    private static int brokers(String value) {
        if (!value.equals("1") && !value.equals("3")) {
            throw new IllegalArgumentException("--brokers must be 1 or 3, got '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    private static String calibration(String value) {
        if (!value.equals("card") && !value.equals("traffic")) {
            throw new IllegalArgumentException("--calibration must be card or traffic, got '" + value + "'");
        }
        return value;
    }

    private static String benchmark(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        if (!name.equals("gsm8k") && !name.equals("mmlu") && !name.equals("arena")) {
            throw new IllegalArgumentException("--benchmark must be gsm8k, mmlu or arena, got '" + value + "'");
        }
        return name;
    }

    /** A whole number in [min, max]; anything else is a one-line IllegalArgumentException naming the flag. */
    static int intIn(String flag, String value, int min, int max) {
        long parsed = longValue(flag, value);
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + value);
        }
        return (int) parsed;
    }

    private static long longValue(String flag, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got '" + value + "'");
        }
    }

    static double doubleIn(String flag, String value, double min, double max) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + value);
        }
        return parsed;
    }

    private static String nonBlank(String flag, String value) {
        if (value.isBlank() || value.startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }
}
