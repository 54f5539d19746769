package io.kroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Show a batch: its status and request counts, and what kroute adds (spent, reserved and budget in USD, "
                    + "strong and weak answers, cache hits) when the gateway reports it.",
            "Exit status: 0 shown, 1 the gateway refused (e.g. no such batch) or cannot be reached, 2 bad usage."
        })
final class BatchStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "ID", converter = GatewayId.class, description = "The batch, e.g. batch_abc123.")
    String id;

    @Option(names = "--json", description = "Print the batch object as the gateway returns it, on one line.")
    boolean json;

    @Override
    public Integer call() {
        return gateway.run(client -> {
            JsonNode node = client.get("/v1/batches/" + id);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? node.toString() : BatchFormatter.block(Batch.from(node)));
            out.flush();
            return ExitCodes.OK;
        });
    }
}
