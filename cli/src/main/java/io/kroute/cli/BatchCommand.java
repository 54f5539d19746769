package io.kroute.cli;

import picocli.CommandLine.Command;

/** {@code kroute batch}: the batch gateway's OpenAI Files and Batches API for people, one subcommand per call. */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Run OpenAI-style batches through the kroute batch gateway: submit a JSONL file of requests, follow it, "
                    + "fetch its results.",
            "Every subcommand takes --gateway URL (default: $KROUTE_GATEWAY_URL, else " + GatewayOptions.DEFAULT_URL
                    + ") and --api-key KEY (default: $KROUTE_API_KEY, else $OPENAI_API_KEY).",
            "Exit status: 0 done, 1 the gateway refused, failed or cannot be reached (one line on stderr), 2 bad usage."
        },
        subcommands = {
            BatchSubmitCommand.class,
            BatchStatusCommand.class,
            BatchResultsCommand.class,
            BatchCancelCommand.class,
            BatchListCommand.class
        })
final class BatchCommand {}
