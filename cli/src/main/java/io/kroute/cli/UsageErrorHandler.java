package io.kroute.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Bad usage: one line naming the problem, exit 2. The full usage is one {@code --help} away, not dumped on the user. */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine
                .getErr()
                .println(commandLine.getCommandSpec().qualifiedName() + ": " + OneLine.of(e.getMessage())
                        + "; try --help");
        return ExitCodes.CANNOT_START;
    }
}
