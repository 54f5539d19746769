package io.kroute.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Ask the gateway to cancel a batch. Prints the batch's new status, e.g. cancelling.",
            "Exit status: 0 cancel accepted, 1 the gateway refused (e.g. the batch has ended) or cannot be reached, "
                    + "2 bad usage."
        })
final class BatchCancelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "ID", converter = GatewayId.class, description = "The batch, e.g. batch_abc123.")
    String id;

    @Override
    public Integer call() {
        return gateway.run(client -> {
            Batch batch = Batch.from(client.post("/v1/batches/" + id + "/cancel"));
            PrintWriter out = spec.commandLine().getOut();
            out.println(batch.status());
            out.flush();
            return ExitCodes.OK;
        });
    }
}
