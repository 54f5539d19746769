package io.kroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * An unexpected failure while a command runs: one line with the cause, exit 1. The expected ones (unreachable broker,
 * unreadable file) are reported by the commands themselves.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        Throwable root = OneLine.rootCause(e);
        commandLine
                .getErr()
                .println(commandLine.getCommandSpec().qualifiedName() + ": failed: "
                        + root.getClass().getSimpleName() + ": " + OneLine.of(root.getMessage()));
        return ExitCodes.INCOMPLETE;
    }
}
