package io.kroute.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/analysis/length-direction.py} on small scored files of its own making: it prints its two tables, and a
 * damaged file or a directory it cannot use gets one line and exit 2. Runs where a {@code python3} is on the path
 * (the script needs nothing else), and skips where none is.
 */
class LengthDirectionScriptTest {

    private static final Path SCRIPT = Path.of("..", "ops", "analysis", "length-direction.py");
    private static final String GPT4 = "gpt-4-1106-preview";
    private static final String MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    @BeforeAll
    static void python() throws Exception {
        boolean found;
        try {
            found = new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            found = false;
        }
        Assumptions.assumeTrue(found, "no python3 here");
    }

    /** 30 rows; longer prompts win for the strong model where {@code longerWins}. */
    private static void write(Path file, String idPrefix, String strong, String weak, boolean longerWins)
            throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String prompt = "How many apples? ".repeat(1 + i % 6) + (i % 3 == 0 ? "Explain." : "");
            double gain = ((i % 6 >= 3) == longerWins) ? 1 : 0;
            lines.add(String.format(
                    "{\"id\":\"%s/%d\",\"prompt\":\"%s\",\"scores\":{\"%s\":%s,\"%s\":0.0}}",
                    idPrefix, i, prompt, strong, gain, weak));
        }
        Files.write(
                file,
                lines,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static void writeAll(Path dir) throws IOException {
        write(dir.resolve("arena.scored.jsonl"), "arena", GPT4, MIXTRAL, true);
        write(dir.resolve("gsm8k.scored.jsonl"), "gsm8k/test", GPT4, MIXTRAL, true);
        write(dir.resolve("mmlu.scored.jsonl"), "mmlu/x", GPT4, MIXTRAL, true);
        write(
                dir.resolve("alpacaeval.scored.jsonl"),
                "alpacaeval",
                "gpt4_1106_preview",
                "Mixtral-8x7B-Instruct-v0.1_concise",
                false);
        for (String task : List.of("arc_challenge", "mbpp", "winograde")) {
            write(
                    dir.resolve("routerbench.scored.jsonl"),
                    "routerbench-" + task,
                    GPT4,
                    "mistralai/mixtral-8x7b-chat",
                    task.equals("arc_challenge"));
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(Path work) throws Exception {
        Process p = new ProcessBuilder("python3", SCRIPT.toString(), "--work", work.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void prints_each_source_and_which_way_length_points(@TempDir Path dir) throws Exception {
        writeAll(dir);

        Run run = run(dir);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("| Spearman with the gain | Arena (ships), 30 |", "Winogrande, 30 |")
                .contains("| length within a kind of prompt |");
        String length = run.out()
                .lines()
                .filter(l -> l.startsWith("| length (log characters)"))
                .findFirst()
                .orElseThrow();
        // built so: longer wins on Arena, loses on AlpacaEval
        String[] cells = length.split("\\|");
        assertThat(cells[2].trim()).startsWith("+");
        assertThat(cells[5].trim()).startsWith("-");
    }

    @Test
    void a_damaged_file_gets_one_line_and_exit_2(@TempDir Path dir) throws Exception {
        writeAll(dir);
        Files.writeString(
                dir.resolve("mmlu.scored.jsonl"),
                "{\"id\":\"m\",\"prompt\":3,\"scores\":{}}\n",
                java.nio.file.StandardOpenOption.APPEND);

        Run run = run(dir);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).doesNotContain("\n").contains("damaged", "mmlu");
    }

    @Test
    void a_directory_it_cannot_make_gets_one_line_and_exit_2(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");

        Run run = run(file.resolve("work"));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("length-direction: ");
    }
}
