package io.kroute.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kroute} command: one subcommand per task, each in its own class. */
@Command(
        name = "kroute",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = "kroute, a Kafka-native LLM router: run the demo and the components, train and evaluate "
                + "routers, send prompts and follow their outcomes, run OpenAI-style batches through the gateway.",
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
        MainCommands.addTo(commandLine);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        return commandLine;
    }
}
