package io.kroute.batch;

import io.kroute.runtime.ComponentMain;
import io.kroute.runtime.Usage;
import java.nio.file.Path;

/**
 * Runs the batch gateway: {@code BatchGatewayMain --config etc/batch-gateway.yaml}. Bad arguments or config, an unset
 * API key variable, or a cluster that does not answer print one line on stderr and exit 2.
 */
public final class BatchGatewayMain {

    static final String USAGE = "usage: batch-gateway --config <path to batch-gateway.yaml>"
            + "   (the OpenAI Files and Batches API in front of the pipeline; reference: etc/batch-gateway.yaml)";

    private BatchGatewayMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        ComponentMain.run(
                "batch-gateway",
                () -> BatchGatewayApp.start(BatchGatewayConfig.load(configPath(args)), System::getenv));
    }

    static Path configPath(String[] args) {
        if (args.length != 2 || !args[0].equals("--config") || args[1].isBlank()) {
            throw new IllegalArgumentException(
                    (args.length == 0 ? "missing --config" : "unexpected arguments " + String.join(" ", args)) + " ("
                            + USAGE + ")");
        }
        return Path.of(args[1]);
    }
}
