package io.kroute.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code docs/commands.md}: a manual page per {@code kroute} command, written from the same annotations that parse
 * the command line, so the documentation cannot drift from the code ({@code CommandDocsTest} holds the committed file
 * to what this writes). {@code java io.kroute.cli.CommandDocs docs/commands.md} rewrites it.
 */
public final class CommandDocs {

    private CommandDocs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: CommandDocs FILE   (writes the kroute command reference as Markdown)");
            System.exit(args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
            return;
        }
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }

    /** Every command of the tree, depth first: its synopsis, description and options as {@code --help} prints them. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# The `kroute` command\n\n")
                .append("Generated from the command's own annotations by `io.kroute.cli.CommandDocs` (do not edit: ")
                .append("`CommandDocsTest` fails when this file and the code disagree; rerun it with ")
                .append("`-Dkroute.updateDocs=true` to rewrite it). Run from a checkout as `ops/kroute ...`; every ")
                .append("command answers `--help`, bad usage is one line and exit 2.\n\n");
        List<CommandLine> all = new ArrayList<>();
        collect(KrouteCommand.commandLine(), all);
        out.append("| command | what it does |\n|---|---|\n");
        for (CommandLine c : all) {
            out.append("| `")
                    .append(c.getCommandSpec().qualifiedName())
                    .append("` | ")
                    .append(firstLine(c))
                    .append(" |\n");
        }
        for (CommandLine c : all) {
            out.append("\n## ")
                    .append(c.getCommandSpec().qualifiedName())
                    .append("\n\n```\n")
                    .append(c.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                    .append("\n```\n");
            if (!c.getCommandSpec().unmatchedArgsBindings().isEmpty()) {
                // a command that starts a main: the main's own --help is its option list
                out.append("\nIts options, as its `--help` prints them:\n\n```\n")
                        .append(mainHelp(c).stripTrailing())
                        .append("\n```\n");
            }
        }
        return out.toString();
    }

    private static String mainHelp(CommandLine c) {
        List<String> path = new ArrayList<>();
        for (CommandLine at = c; at.getParent() != null; at = at.getParent()) {
            path.add(0, at.getCommandName());
        }
        path.add("--help");
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
            KrouteCommand.commandLine().execute(path.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }

    private static String firstLine(CommandLine c) {
        String[] description = c.getCommandSpec().usageMessage().description();
        return description.length == 0 ? "" : description[0].replace("|", "\\|");
    }
}
