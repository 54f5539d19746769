package io.kroute.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.ModelCard;
import io.kroute.router.TrainedRouter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterCliTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|usage",
                "frobnicate|unknown command 'frobnicate'",
                "train --kind mf --data arena|missing required option --out",
                "train --kind knn --data arena --out /tmp/x|unknown --kind 'knn'",
                "train --kind|needs a value",
                "eval --benchmark mmlu --protocol loo|--protocol must be 'cv' or 'transfer'",
                "eval --benchmark mmlu --protocol transfer --train mmlu|must not add the evaluated benchmark",
                "eval --benchmark nope|neither a data set",
                "score --router random --share 2|--share must be in",
                "score --router nowhere|unknown router 'nowhere'",
                "data --dataset mmlu --format csv --out /tmp/x.jsonl|--format must be",
                "calibrate --router /nonexistent --data arena|not a router directory",
            })
    void bad_arguments_give_one_line_and_a_non_zero_exit(String line, String expected) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RouterCli.run(
                args,
                new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isNotZero();
        assertThat(message).contains(expected);
        assertThat(message.strip().lines().count()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"random:1|0.3", "random:1|0.9"})
    void score_prints_the_score_and_the_decision(String router, String share) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RouterCli.run(
                new String[] {"score", "--router", router, "--share", share},
                new ByteArrayInputStream("What is 2+2?".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertThat(code).isZero();
        String line = out.toString(StandardCharsets.UTF_8);
        double score = Double.parseDouble(line.split(" ")[1]);
        double threshold = Double.parseDouble(line.split(" ")[3]);
        assertThat(threshold).isEqualTo(1 - Double.parseDouble(share), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(line).contains(score >= threshold ? "decision strong" : "decision weak");
    }

    @Test
    void calibrate_takes_unlabelled_traffic(@TempDir Path dir) throws Exception {
        // given: a copy of a shipped router and a file of traffic without labels, one line a prompt request
        Path router = dir.resolve("router");
        Files.createDirectories(router);
        try (var files = Files.list(Path.of("src/main/resources/kroute/routers/static-mf"))) {
            for (Path file : files.toList()) {
                Files.copy(file, router.resolve(file.getFileName()));
            }
        }
        Path traffic = dir.resolve("traffic.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"prompt\": \"How many apples are left if I eat ")
                    .append(i)
                    .append(" of 50?\"}\n");
        }
        lines.append("{\"id\": \"r\", \"tenant\": \"t\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + "\"created_at\": 1}\n");
        Files.writeString(traffic, lines);

        // when
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RouterCli.run(
                new String[] {"calibrate", "--router", router.toString(), "--data", traffic.toString()},
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));

        // then
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("calibrated on 41 prompts of ");
        try (TrainedRouter loaded = TrainedRouter.load(router)) {
            ModelCard card = loaded.card();
            assertThat(card.calibration().size()).isEqualTo(41);
            assertThat(card.calibration().sample()).isEqualTo(traffic.toString());
        }
    }
}
