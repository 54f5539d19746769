package io.kroute.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kroute} command: one subcommand per task, each in its own class. */
@Command(
        name = "kroute",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = "Send prompts to a kroute pipeline and follow their outcomes, or run OpenAI-style batches "
                + "through the batch gateway.",
        subcommands = {
            ProduceCommand.class,
            TailCommand.class,
            BatchCommand.class,
            // bash/zsh completion from the same annotations: source <(ops/kroute generate-completion)
            AutoComplete.GenerateCompletion.class
        })
public final class KrouteCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with kroute's error handling; tests execute it in-process. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new KrouteCommand());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        return commandLine;
    }
}
