package io.kroute.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.LengthRouter;
import io.kroute.router.ModelCard;
import io.kroute.router.RandomRouter;
import io.kroute.router.ThresholdCalibrator;
import io.kroute.router.TrainedRouter;
import io.kroute.router.eval.RoutingEvaluation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterCliTest {

    @ParameterizedTest
    @CsvSource({"train", "calibrate", "eval", "share", "score", "data", "static-table"})
    void every_command_answers_help_with_its_options_and_exit_zero(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = RouterCli.run(
                new String[] {command, "--help"},
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("usage: router " + command)
                .contains("[--");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|usage",
                "frobnicate|unknown command 'frobnicate'",
                "train --kind mf --data arena|missing required option --out",
                "train --kind knn --data arena --out /tmp/x|unknown --kind 'knn'",
                "train --kind|needs a value",
                "eval --benchmark mmlu --protocol loo|--protocol must be 'cv', 'transfer' or 'leave-one-out'",
                "eval --benchmark mmlu --protocol transfer --train mmlu|must not add the evaluated benchmark",
                "eval --benchmark nope|neither a data set",
                "eval --benchmark mmlu --groups 0|--groups must be in",
                "score --router random --share 2|--share must be in",
                "score --router nowhere|unknown router 'nowhere'",
                "share --router random --data gsm8k --prompts some|--prompts must be 'all' or 'demo'",
                "share --router random|missing required option --data",
                "eval --protocol leave-one-out --holdout nowhere|--holdout: unknown source 'nowhere'",
                "eval --protocol leave-one-out --preset best|unknown --preset",
                "data --dataset mmlu --format csv --out /tmp/x.jsonl|--format must be",
                "calibrate --router /nonexistent --data arena|not a router directory",
                "static-table --model bert|--model must be one of [minilm, bge-small]",
                "eval --benchmark gsm8k --encoder bge|encoder must be 'minilm', 'minilm-static', 'bge-small'",
                "eval --benchmark arena --models all --protocol loo|--protocol cv, transfer or correct",
                "eval --benchmark arena --models all --protocol correct|correct needs --train",
                "eval --benchmark routerbench --models all --protocol correct --train routerbench-train|--serving",
                "eval --benchmark arena --models all --serving x|goes with --protocol correct",
                "eval --benchmark mmlu --serving x|correct a many-model predictor: add --models",
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

        // then: the quantiles are those of the router's own scores (its own encoder's vectors, not MiniLM's)
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("calibrated on 41 prompts of ");
        try (TrainedRouter loaded = TrainedRouter.load(router)) {
            ModelCard card = loaded.card();
            assertThat(card.calibration().size()).isEqualTo(41);
            assertThat(card.calibration().sample()).isEqualTo(traffic.toString());
            List<String> prompts = io.kroute.router.data.PromptSample.read(traffic);
            assertThat(card.calibration().quantiles())
                    .containsExactly(ThresholdCalibrator.quantiles(loaded.scoreBatch(prompts)), within(1e-6));
        }
    }

    @Test
    void eval_of_a_given_router_encodes_with_the_router_s_own_encoder(@TempDir Path dir) throws Exception {
        // given: a shipped router over the static encoder and a small scored file
        List<String> prompts = new java.util.ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String prompt = i % 2 == 0
                    ? "A shop sells " + i + " pens at $" + (i + 3) + " each and " + (2 * i) + " more. How many?"
                    : "Which of the following is a prime number?\nA. " + i + "\nB. " + (i + 4) + "\nC. 9\nD. 15";
            prompts.add(prompt);
            lines.append(String.format(
                    "{\"id\": \"t/%d\", \"prompt\": \"%s\", \"scores\": {\"S\": %d, \"W\": %d}}%n",
                    i, prompt.replace("\n", "\\n"), i % 3 == 0 ? 1 : i % 2, i % 5 == 0 ? 1 : 0));
        }
        Path file = dir.resolve("scored.jsonl");
        Files.writeString(file, lines);
        String[] eval = {
            "eval",
            "--benchmark",
            file.toString(),
            "--router",
            "static-mf",
            "--strong",
            "S",
            "--weak",
            "W",
            "--out",
            dir.resolve("out").toString()
        };

        // when
        int code = RouterCli.run(
                eval,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] withMiniLm = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(eval), java.util.stream.Stream.of("--encoder", "minilm"))
                .toArray(String[]::new);
        int mismatch = RouterCli.run(
                withMiniLm,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        // then: the reported APGR is that of the router serving these prompts; another encoder is refused
        assertThat(code).isZero();
        var report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("out").resolve("report.json").toFile())
                .get("routers")
                .get(0);
        double[] s = new double[30];
        double[] w = new double[30];
        for (int i = 0; i < 30; i++) {
            s[i] = i % 3 == 0 ? 1 : i % 2;
            w[i] = i % 5 == 0 ? 1 : 0;
        }
        try (TrainedRouter router = TrainedRouter.loadResource("kroute/routers/static-mf")) {
            double served = RoutingEvaluation.evaluate("r", "t", s, w, router.scoreBatch(prompts))
                    .apgr();
            assertThat(report.get("apgr").asDouble()).isCloseTo(served, within(1e-9));
        }
        assertThat(mismatch).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .contains("the router was trained on")
                .contains("leave --encoder out")
                .hasLineCount(1);
    }

    @Test
    void eval_reports_each_group_of_enough_prompts(@TempDir Path dir) throws Exception {
        // given: groups a (6 prompts), b (4), c (2, too small) and d (3, both models score the same)
        String[][] rows = {
            {"a/1", "1", "0"}, {"a/2", "1", "1"}, {"a/3", "0", "0"}, {"a/4", "1", "0"}, {"a/5", "0", "1"},
            {"a/6", "1", "0"}, {"b/1", "1", "0"}, {"b/2", "1", "1"}, {"b/3", "1", "0"}, {"b/4", "0", "0"},
            {"c/1", "1", "0"}, {"c/2", "0", "0"}, {"d/1", "1", "1"}, {"d/2", "0", "0"}, {"d/3", "1", "1"}
        };
        java.util.function.Function<String, String> prompt =
                id -> "Question " + id + ", of " + "many ".repeat(id.charAt(2) - '0') + "words";
        StringBuilder lines = new StringBuilder();
        for (String[] r : rows) {
            lines.append(String.format(
                    "{\"id\": \"%s\", \"prompt\": \"%s\", \"scores\": {\"S\": %s, \"W\": %s}}%n",
                    r[0], prompt.apply(r[0]), r[1], r[2]));
        }
        Path file = dir.resolve("scored.jsonl");
        Files.writeString(file, lines);
        Path out = dir.resolve("out");

        // when
        int code = RouterCli.run(
                new String[] {
                    "eval",
                    "--benchmark",
                    file.toString(),
                    "--router",
                    "random:3",
                    "--strong",
                    "S",
                    "--weak",
                    "W",
                    "--encoder",
                    "minilm-static",
                    "--groups",
                    "3",
                    "--out",
                    out.toString()
                },
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));

        // then: a, b and d, largest first; each APGR is the evaluation of that group's prompts alone
        assertThat(code).isZero();
        var groups = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("report.json").toFile())
                .get("groups");
        assertThat(groups).hasSize(3);
        assertThat(List.of(
                        groups.get(0).get("group").asText(),
                        groups.get(1).get("group").asText(),
                        groups.get(2).get("group").asText()))
                .containsExactly("a", "b", "d");
        assertThat(groups.get(0).get("prompts").asInt()).isEqualTo(6);
        for (int g = 0; g < 2; g++) {
            int first = g == 0 ? 0 : 6;
            int size = g == 0 ? 6 : 4;
            List<String> prompts = new java.util.ArrayList<>();
            double[] s = new double[size];
            double[] w = new double[size];
            for (int i = 0; i < size; i++) {
                String[] r = rows[first + i];
                prompts.add(prompt.apply(r[0]));
                s[i] = Double.parseDouble(r[1]);
                w[i] = Double.parseDouble(r[2]);
            }
            var apgr = groups.get(g).get("apgr");
            double random = RoutingEvaluation.evaluate("r", "t", s, w, new RandomRouter(3).scoreBatch(prompts))
                    .apgr();
            double length = RoutingEvaluation.evaluate("l", "t", s, w, new LengthRouter().scoreBatch(prompts))
                    .apgr();
            assertThat(apgr.fields().next().getValue().asDouble()).isCloseTo(random, within(1e-12));
            assertThat(apgr.get("length").asDouble()).isCloseTo(length, within(1e-12));
        }
        assertThat(groups.get(2).get("apgr").get("length").isNull())
                .as("no gap to recover in d")
                .isTrue();
    }
}
