package io.kroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "List batches, newest first, one a line: id, status, done/total requests, created, spent.",
            "Exit status: 0 listed, 1 the gateway refused or cannot be reached, 2 bad usage."
        })
final class BatchListCommand implements Callable<Integer> {

    /** OpenAI's bound on a page of batches. */
    private static final int MAX_LIMIT = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            converter = PositiveInteger.class,
            description = "At most N batches, 1 to " + MAX_LIMIT + ". Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        if (limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--limit must be at most " + MAX_LIMIT);
        }
        return gateway.run(client -> {
            JsonNode page = client.get("/v1/batches?limit=" + limit);
            JsonNode data = page.path("data");
            if (!data.isArray()) {
                throw new BatchFailure("the gateway's answer is not a list of batches");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            for (JsonNode node : data) {
                out.println(BatchFormatter.line(Batch.from(node)));
            }
            out.flush();
            if (data.isEmpty()) {
                err.println("batch: no batches");
            } else if (page.path("has_more").asBoolean(false)) {
                err.println(
                        "batch: more batches than these " + data.size() + "; raise --limit (up to " + MAX_LIMIT + ")");
            }
            return ExitCodes.OK;
        });
    }
}
