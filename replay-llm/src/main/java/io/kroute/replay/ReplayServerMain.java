package io.kroute.replay;

import io.kroute.runtime.Usage;
import io.vertx.core.Vertx;

/**
 * Runs a {@link ReplayServer} from the command line:
 *
 * <pre>
 * ReplayServerMain [--host H] [--port N] [--latency-ms N] [--jitter-ms N] [--api-key K]
 *     [--fail-429 RATE] [--retry-after-s N] [--fail-500 RATE] [--fail-503 RATE] [--fail-timeout RATE]
 *     [--fail-drop RATE] [--fault-seed N] [--outage START_S:DURATION_S]...
 * </pre>
 *
 * A RATE is the share of chat completions, in [0, 1], that fail that way. An outage answers every chat completion
 * 503 from START_S to START_S + DURATION_S seconds after the first one; the option can be repeated.
 *
 * It serves every bundled benchmark (GSM8K, MMLU, Arena) and answers as every model recorded on them; there is no
 * option to narrow that, and a request for any other model is answered 404 {@code model_not_found}.
 *
 * Bad arguments print one line on stderr and exit with status 2.
 */
public final class ReplayServerMain {

    static final String USAGE =
            "usage: replay-llm [--host H] [--port N] [--latency-ms N] [--jitter-ms N] [--api-key K] [--fail-429 R]"
                    + " [--retry-after-s N] [--fail-500 R] [--fail-503 R] [--fail-timeout R] [--fail-drop R]"
                    + " [--fault-seed N] [--outage START_S:DURATION_S]";

    private static final String LOGBACK_CONFIG = "kroute-replay-llm-logback.xml";

    private ReplayServerMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        ReplayServerOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("replay-llm: " + e.getMessage() + " (" + USAGE + ")");
            System.exit(2);
            return;
        }
        // set before the first logger exists; a logging config given with -D wins
        System.setProperty(
                "logback.configurationFile", System.getProperty("logback.configurationFile", LOGBACK_CONFIG));
        Vertx vertx = Vertx.vertx();
        ReplayServer.deploy(vertx, ReplayDataset.loadBundled(), options)
                .onSuccess(server -> {
                    System.out.println("replay-llm listening on " + server.baseUrl());
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(() -> vertx.close().await(), "replay-llm-shutdown"));
                })
                .onFailure(e -> {
                    System.err.println("replay-llm: cannot start: " + e.getMessage());
                    vertx.close();
                    System.exit(1);
                });
    }

    /** Parses the arguments; throws IllegalArgumentException with a one-line message on a bad one. */
    static ReplayServerOptions parse(String[] args) {
        ReplayServerOptions options = ReplayServerOptions.defaults().withPort(8080);
        long latency = 0;
        long jitter = 0;
        FaultOptions faults = FaultOptions.none();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        flag.startsWith("--") ? "missing value for " + flag : "unexpected argument " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--host" -> options = options.withHost(value);
                case "--port" -> options = options.withPort((int) number(flag, value, 0, 65535));
                case "--latency-ms" -> latency = number(flag, value, 0, Long.MAX_VALUE);
                case "--jitter-ms" -> jitter = number(flag, value, 0, Long.MAX_VALUE);
                case "--api-key" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("--api-key must not be blank");
                    }
                    options = options.withApiKey(value);
                }
                case "--fail-429" -> faults = faults.withRateLimited(rate(flag, value), faults.retryAfterSeconds());
                case "--retry-after-s" -> faults =
                        faults.withRateLimited(faults.rateLimited(), number(flag, value, 0, Long.MAX_VALUE));
                case "--fail-500" -> faults = faults.withServerError(rate(flag, value));
                case "--fail-503" -> faults = faults.withUnavailable(rate(flag, value));
                case "--fail-timeout" -> faults = faults.withTimeout(rate(flag, value));
                case "--fail-drop" -> faults = faults.withDropped(rate(flag, value));
                case "--outage" -> faults = faults.withOutage(outage(value));
                case "--fault-seed" -> faults = faults.withSeed(number(flag, value, Long.MIN_VALUE, Long.MAX_VALUE));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return options.withLatency(latency, jitter).withFaults(faults);
    }

    /** {@code START_S:DURATION_S}, in seconds (decimals allowed). */
    static FaultOptions.Outage outage(String value) {
        int colon = value.indexOf(':');
        try {
            double start = Double.parseDouble(value.substring(0, colon));
            double duration = Double.parseDouble(value.substring(colon + 1));
            return new FaultOptions.Outage(Math.round(start * 1000), Math.round(duration * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--outage expects START_S:DURATION_S with DURATION_S > 0, got '" + value + "'");
        }
    }

    private static double rate(String flag, String value) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a rate in [0, 1], got '" + value + "'");
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new IllegalArgumentException(flag + " expects a rate in [0, 1], got " + value);
        }
        return parsed;
    }

    private static long number(String flag, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a number, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(flag + " must be in [" + min + ", " + max + "], got " + parsed);
        }
        return parsed;
    }
}
