package io.kroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.progress.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Upload an OpenAI batch input file (JSONL, one /v1/chat/completions request a line) and start a batch "
                    + "over it. Prints the batch id on standard output.",
            "With --wait, follows the batch to its end, downloads its results into --out as <id>_output.jsonl and "
                    + "<id>_errors.jsonl, and prints a summary on standard error.",
            "Exit status: 0 submitted (with --wait: completed), 1 the gateway refused or failed, or (with --wait) "
                    + "the batch failed, expired or was cancelled, 2 bad usage or FILE unreadable."
        })
final class BatchSubmitCommand implements Callable<Integer> {

    /** How often the progress shows as a plain line when stderr is not a terminal. */
    private static final Duration PROGRESS_LINES_EVERY = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "FILE", description = "The batch input file, e.g. requests.jsonl.")
    Path file;

    @Option(
            names = "--strong-share",
            paramLabel = "P",
            converter = Fraction.class,
            description = "Share of the requests for the strong model, 0 to 1 (metadata kroute_strong_share).")
    Double strongShare;

    @Option(
            names = "--budget-usd",
            paramLabel = "X",
            converter = PositiveAmount.class,
            description = "The most the batch may spend, in USD, above 0 (metadata kroute_budget_usd).")
    Double budgetUsd;

    @Option(
            names = "--on-budget",
            paramLabel = "cheaper|wait",
            description = "A request that does not fit the budget left goes to the cheaper model, or waits for calls "
                    + "in flight to settle (metadata kroute_on_budget). Default: the gateway's (cheaper).")
    OnBudget onBudget;

    @Option(
            names = "--no-dedup",
            description = "Call the model for every request, even identical ones (metadata kroute_dedup=false).")
    boolean noDedup;

    @Option(
            names = "--metadata",
            paramLabel = "K=V",
            description = "A metadata pair of your own, e.g. team=search; repeat for more (16 pairs at most in all).")
    Map<String, String> metadata;

    @Option(names = "--wait", description = "Follow the batch until it ends, then download its results.")
    boolean waitForEnd;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "With --wait: where the results go, created if missing. Default: the current directory.")
    Path out;

    /** Time between polls with --wait; tests shorten it. */
    Duration pollEvery = Duration.ofSeconds(1);

    /** How long polls may fail in a row (gateway restarting) before --wait gives up. */
    Duration patience = Duration.ofSeconds(60);

    @Override
    public Integer call() {
        if (out != null && !waitForEnd) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--out needs --wait; without it, fetch them later: kroute batch results ID --out DIR");
        }
        Map<String, String> batchMetadata;
        try {
            batchMetadata = BatchMetadata.of(strongShare, budgetUsd, onBudget, noDedup, metadata);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dir = out == null ? Path.of(".") : out;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "--out " + dir + " is not a directory");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            String why =
                    !Files.exists(file) ? "no such file" : Files.isDirectory(file) ? "a directory" : "not readable";
            spec.commandLine().getErr().println(GatewayOptions.FAILURE + "cannot read " + file + ": " + why);
            return ExitCodes.CANNOT_START;
        }
        return gateway.run(client -> submit(client, batchMetadata, dir));
    }

    private int submit(GatewayClient client, Map<String, String> batchMetadata, Path dir) throws BatchFailure {
        PrintWriter err = spec.commandLine().getErr();
        JsonNode uploaded = client.upload("/v1/files", Map.of("purpose", "batch"), "file", file);
        String fileId = uploaded.path("id").asText(null);
        if (!GatewayId.isSafe(fileId)) {
            throw new BatchFailure("the gateway answered the upload without a usable file id");
        }
        Batch batch;
        try {
            batch = Batch.from(client.postJson("/v1/batches", createBody(fileId, batchMetadata)));
        } catch (BatchFailure e) {
            throw new BatchFailure(e.getMessage() + " (the uploaded file " + fileId + " stays on the gateway)");
        }
        // the id first, on its own, before any waiting: a script that captures it need not wait for the end
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(batch.id());
        stdout.flush();
        if (!waitForEnd) {
            if (batch.status().equals("failed")) {
                err.println(BatchFormatter.summary(batch, List.of()));
                return ExitCodes.INCOMPLETE;
            }
            return ExitCodes.OK;
        }
        Batch finished = follow(client, batch, err);
        List<Path> written = BatchResults.download(client, finished, dir);
        err.println(BatchFormatter.summary(finished, written));
        err.flush();
        return finished.status().equals("completed") ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    private Batch follow(GatewayClient client, Batch batch, PrintWriter err) throws BatchFailure {
        Progress progress = Progress.forStderr(err, "batch", "requests", PROGRESS_LINES_EVERY, () -> -1);
        // Ctrl-C stops the waiting, not the batch: say how to pick it up again
        OnShutdown ctrlC = new OnShutdown(() -> {
            progress.close();
            err.println("batch: stopped waiting; " + batch.id() + " goes on: kroute batch status " + batch.id());
            err.flush();
        });
        try {
            return new BatchWait(client, progress, pollEvery, patience).untilFinished(batch);
        } finally {
            ctrlC.remove();
            progress.close();
        }
    }

    private static ObjectNode createBody(String fileId, Map<String, String> batchMetadata) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("input_file_id", fileId);
        body.put("endpoint", "/v1/chat/completions");
        body.put("completion_window", "24h");
        ObjectNode pairs = body.putObject("metadata");
        batchMetadata.forEach(pairs::put);
        return body;
    }
}
