package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Every command of the kroute tree, each in a JVM of its own as a user runs it, given an option it does not have:
 * one line on standard error and exit 2. The commands that start a main (demo, run, router, rollback) exit the JVM
 * themselves, which is why this walk runs processes rather than the command line in this JVM.
 */
@Timeout(600)
class KrouteBadUsageIT {

    @Test
    void every_command_refuses_an_unknown_option_in_one_line_with_exit_two() throws Exception {
        List<List<String>> leaves = new ArrayList<>();
        collect(KrouteCommand.commandLine(), new ArrayList<>(), leaves);
        // picocli's own completion generator takes and ignores extra arguments; it only prints a script
        leaves.remove(List.of("generate-completion"));
        assertThat(leaves.size()).isGreaterThan(25);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> path : leaves) {
            List<String> command = new ArrayList<>(
                    List.of(java, "-cp", System.getProperty("java.class.path"), KrouteCommand.class.getName()));
            command.addAll(path);
            command.add("--no-such-option");
            Path err = Files.createTempFile("kroute-err", ".txt");
            Process p = new ProcessBuilder(command)
                    .redirectError(err.toFile())
                    .redirectOutput(new File("/dev/null"))
                    .redirectInput(new File("/dev/null"))
                    .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", path).isTrue();
            List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("%s --no-such-option: %s", path, lines).isEqualTo(2);
            assertThat(lines).as("%s --no-such-option", path).hasSize(1);
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> leaves) {
        if (command.getSubcommands().isEmpty()) {
            leaves.add(List.copyOf(path));
            return;
        }
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, leaves);
        });
    }
}
