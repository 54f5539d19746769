package io.kroute.cli;

import io.kroute.schemas.KafkaClientConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Send prompts to the prompts topic, one request per input line, keyed by request id.",
            "A line is a prompt as text, a prompt request as JSON (as the prompts topic holds them), or the short "
                    + "form {\"prompt\": \"...\", \"id\": \"...\", \"max_tokens\": N, \"metadata\": {...}} where "
                    + "only prompt is required. Ids default to a random UUID.",
            "Every request is checked against the schema first; a bad line is reported with its number and "
                    + "skipped, the others are sent.",
            "Exit status: 0 all sent, 1 some lines skipped, 2 nothing sent (bad usage, unreadable input, Kafka "
                    + "unreachable)."
        })
final class ProduceCommand implements Callable<Integer> {

    /** The schema's bound on {@code max_tokens}. */
    private static final int MAX_TOKENS_LIMIT = 1_000_000;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(
            arity = "0..1",
            paramLabel = "FILE",
            defaultValue = "-",
            description = "The prompts; - (the default) reads standard input.")
    String file;

    @Option(
            names = "--format",
            defaultValue = "auto",
            paramLabel = "auto|text|jsonl",
            description = "auto: a line starting with { is JSON, any other a prompt; text: every line is a prompt; "
                    + "jsonl: every line is JSON. Default: auto.")
    InputFormat format;

    @Option(
            names = "--tenant",
            paramLabel = "T",
            description = "Tenant of the requests that name none (otherwise: default).")
    String tenant;

    @Option(
            names = "--max-tokens",
            paramLabel = "N",
            converter = PositiveInteger.class,
            description = "Completion limit of the requests that set none (at most 1000000).")
    Integer maxTokens;

    @Option(
            names = "--print-ids",
            description = "Print each sent request's id on standard output, one a line, e.g. for tail --ids.")
    boolean printIds;

    @Override
    public Integer call() throws IOException {
        if (maxTokens != null && maxTokens > MAX_TOKENS_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--max-tokens must be at most " + MAX_TOKENS_LIMIT);
        }
        PrintWriter err = spec.commandLine().getErr();
        Path path = "-".equals(file) ? null : Path.of(file);
        InputStream input;
        try {
            input = path == null ? System.in : Files.newInputStream(path);
        } catch (IOException e) {
            err.println("produce: cannot read " + file + ": " + e.getClass().getSimpleName());
            return ExitCodes.CANNOT_START;
        }
        String topic = kafka.topics().prompts().name();
        Optional<String> problem = kafka.preflight(List.of(topic));
        if (problem.isPresent()) {
            input.close();
            err.println("produce: " + problem.get());
            return ExitCodes.CANNOT_START;
        }
        PromptLineParser parser = new PromptLineParser(
                format, tenant, maxTokens, () -> UUID.randomUUID().toString());
        // Malformed UTF-8 becomes U+FFFD, as in Kafka's console producer: a damaged character does not lose the line.
        try (Reader reader = new InputStreamReader(input, StandardCharsets.UTF_8);
                PromptSender sender = new PromptSender(
                        kafka.clientConfig(KafkaClientConfigs.idempotentProducer(kafka.bootstrapServers)),
                        topic,
                        err,
                        printIds ? spec.commandLine().getOut() : null)) {
            ProduceRun run = new ProduceRun(sender, ProduceProgress.forStderr(err, path), err);
            OnShutdown ctrlC = new OnShutdown(run::finish);
            try {
                PromptLines lines = new PromptLines(reader, parser, PromptLines.MAX_LINE_CHARS);
                for (PromptLine line = lines.next(); line != null; line = lines.next()) {
                    run.accept(line);
                }
            } finally {
                ctrlC.remove();
                run.finish();
            }
            return run.exitCode();
        }
    }
}
