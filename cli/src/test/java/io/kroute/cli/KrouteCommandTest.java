package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage handling, which needs no broker: help exits 0, bad usage one line and exit 2. */
class KrouteCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpExitsZeroOnEveryCommand() {
        // given: every command in the tree, so a new subcommand is covered without editing this test
        List<List<String>> commands = new ArrayList<>();
        collect(KrouteCommand.commandLine(), new ArrayList<>(), commands);

        // then
        assertThat(commands)
                .extracting(path -> String.join(" ", path))
                .contains(
                        "",
                        "produce",
                        "tail",
                        "batch",
                        "batch submit",
                        "batch status",
                        "batch results",
                        "batch cancel",
                        "batch list");
        assertThat(commands)
                .extracting(path -> String.join(" ", path))
                .contains(
                        "demo",
                        "run",
                        "run router-stream",
                        "run workers",
                        "router",
                        "router eval",
                        "router bench",
                        "rollback",
                        "publish");
        java.io.PrintStream original = System.out;
        try {
            for (List<String> path : commands) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                int start = out.getBuffer().length();
                // a command that starts a main passes --help on: the main prints its own usage
                java.io.ByteArrayOutputStream mainOut = new java.io.ByteArrayOutputStream();
                System.setOut(new java.io.PrintStream(mainOut, true, java.nio.charset.StandardCharsets.UTF_8));
                assertThat(run(args.toArray(String[]::new)))
                        .as("%s --help", path)
                        .isZero();
                System.setOut(original);
                String printed =
                        out.toString().substring(start) + mainOut.toString(java.nio.charset.StandardCharsets.UTF_8);
                assertThat(printed)
                        .as("%s --help", path)
                        .satisfiesAnyOf(
                                text -> assertThat(text)
                                        .startsWith(("Usage: kroute " + String.join(" ", path)).strip()),
                                text -> assertThat(text).startsWith("usage:"));
            }
        } finally {
            System.setOut(original);
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void completionIsGeneratedFromTheSameTree() {
        assertThat(run("generate-completion")).isZero();

        assertThat(out.toString())
                .contains("complete -F")
                .contains("batch")
                .contains("submit")
                .contains("--budget-usd");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> commands) {
        commands.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, commands);
        });
    }

    @Test
    void aMissingOptionIsOneLineAndExitTwo() {
        // when
        int exit = run("produce", "prompts.txt");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly("kroute produce: Missing required option: '--bootstrap-servers=H:P'; try --help");
    }

    @Test
    void anUnknownOptionIsOneLineAndExitTwo() {
        // when
        int exit = run("tail", "--bootstrap-servers", "127.0.0.1:9092", "--follow");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("kroute tail: Unknown option: '--follow'; try --help");
    }

    @Test
    void badValuesAreUsageErrors() {
        // when
        int count = run("tail", "--bootstrap-servers", "h:1", "--count", "0");
        int format = run("produce", "--bootstrap-servers", "h:1", "--format", "xml");
        int config = run("produce", "--bootstrap-servers", "h:1", "--command-config", "/no/such/file");
        int maxTokens = run("produce", "--bootstrap-servers", "h:1", "--max-tokens", "2000000");

        // then
        assertThat(new int[] {count, format, config, maxTokens}).containsOnly(2);
        assertThat(err.toString().lines())
                .hasSize(4)
                .allSatisfy(line -> assertThat(line).startsWith("kroute ").endsWith("; try --help"));
    }

    @Test
    void noSubcommandIsAUsageError() {
        // when
        int exit = run();
        int batch = run("batch");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(batch).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly(
                        "kroute: Missing required subcommand; try --help",
                        "kroute batch: Missing required subcommand; try --help");
    }

    private int run(String... args) {
        CommandLine commandLine = KrouteCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
