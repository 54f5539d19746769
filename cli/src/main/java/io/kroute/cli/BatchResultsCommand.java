package io.kroute.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Download a finished batch's results: the answers to <id>_output.jsonl, the failed requests to "
                    + "<id>_errors.jsonl (each only when the batch has it). Prints the files written, one a line.",
            "Exit status: 0 downloaded, 1 the batch has no results yet, or the gateway refused or cannot be reached, "
                    + "2 bad usage."
        })
final class BatchResultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "ID", converter = GatewayId.class, description = "The batch, e.g. batch_abc123.")
    String id;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Where the files go, created if missing. Default: the current directory.")
    Path out;

    @Override
    public Integer call() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " is not a directory");
        }
        return gateway.run(client -> {
            Batch batch = Batch.from(client.get("/v1/batches/" + id));
            if (batch.outputFileId() == null && batch.errorFileId() == null) {
                throw new BatchFailure(
                        batch.terminal()
                                ? "batch " + id + " is " + batch.status() + " and has no output or error file"
                                : "batch " + id + " is " + batch.status() + ": no results yet (kroute batch status "
                                        + id + ")");
            }
            List<Path> written = BatchResults.download(client, batch, out);
            PrintWriter stdout = spec.commandLine().getOut();
            written.forEach(stdout::println);
            stdout.flush();
            return ExitCodes.OK;
        });
    }
}
