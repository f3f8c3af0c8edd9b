package io.tastemaker.runtime;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * How the jar's commands ({@code evaluate}, {@code keys}) answer a wrong command, option or
 * value: what is wrong, any suggestion, and the command's usage on standard error, exit code 2.
 * (picocli's own handler leaves the usage out whenever it has a suggestion.)
 */
public final class CommandLines {

    private CommandLines() {
    }

    public static CommandLine of(Object command) {
        return new CommandLine(command).setParameterExceptionHandler(CommandLines::wrong);
    }

    private static int wrong(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        e.getCommandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }
}
