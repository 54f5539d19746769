package io.kroute.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every batch command shares (where the gateway is, the key to it) and how a command's run ends. */
final class GatewayOptions {

    static final String DEFAULT_URL = "http://127.0.0.1:8090";

    /** The start of every line a batch command prints about a failure. */
    static final String FAILURE = "kroute batch: ";

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            description = "The batch gateway. Default: $KROUTE_GATEWAY_URL, else " + DEFAULT_URL + ".")
    String gateway;

    // never echoed: not in help (no default shown), not in any message
    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "Sent as a bearer token. Default: $KROUTE_API_KEY, else $OPENAI_API_KEY; none when unset.")
    String apiKeyOption;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** What a batch command does with the gateway; a {@link BatchFailure} ends it with one line and exit 1. */
    interface Work {
        int run(GatewayClient client) throws BatchFailure;
    }

    /** Runs the work against the gateway these options name. A bad URL or key is a usage error (exit 2). */
    int run(Work work) {
        GatewayClient client = client(System::getenv);
        PrintWriter err = command.commandLine().getErr();
        try {
            return work.run(client);
        } catch (BatchFailure e) {
            err.println(FAILURE + e.getMessage());
            err.flush();
            return ExitCodes.INCOMPLETE;
        }
    }

    GatewayClient client(UnaryOperator<String> env) {
        String url = firstSet(gateway, env.apply("KROUTE_GATEWAY_URL"), DEFAULT_URL);
        try {
            return new GatewayClient(url(url), apiKey(apiKeyOption, env));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** The key from the option, else from the environment; null when there is none. */
    static String apiKey(String option, UnaryOperator<String> env) {
        String key = firstSet(option, env.apply("KROUTE_API_KEY"), env.apply("OPENAI_API_KEY"));
        if (key == null) {
            return null;
        }
        key = key.strip();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                // the key itself must not be in the message; where it came from is enough
                throw new IllegalArgumentException("the API key holds characters an HTTP header cannot carry");
            }
        }
        return key;
    }

    /** The gateway's base URL without a trailing slash; http or https, a host, nothing after the path. */
    static URI url(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--gateway is not a URL: " + OneLine.printable(text, 200));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "--gateway must be an http:// or https:// URL with a host, got " + OneLine.printable(text, 200));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "--gateway must not hold a user or password: give the key with --api-key");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--gateway must not have a query or fragment");
        }
        String base = uri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base);
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
