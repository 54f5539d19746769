package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.batch.BatchGatewayApp;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code kroute batch} against the real gateway on a real broker (no router or workers: a file of lines that cannot
 * run finishes at once, and a job whose requests stay in flight can be cancelled).
 */
@Tag("integration")
@Timeout(180)
class BatchGatewayCliIT {

    private static final TestKafka kafka = TestKafka.shared();
    private static final String KEY = "sk-cli-it-" + UUID.randomUUID();
    private static BatchGatewayApp gateway;
    private static String url;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        Topics topics = Topics.withPrefix("cli-batch-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 1);
        BatchGatewayConfig config = BatchGatewayConfig.defaults()
                .withKafka(kafka.bootstrapServers(), topics.prefix(), Map.of())
                .withServing(
                        "kroute-cli-it-" + UUID.randomUUID(),
                        Files.createTempDirectory("cli-gateway").toString(),
                        0,
                        List.of(new BatchGatewayConfig.ApiKey("cli", "CLI_KEY", "")))
                .withMaxInFlightPerJob(1);
        gateway = BatchGatewayApp.start(config, Map.of("CLI_KEY", KEY)::get);
        assertThat(gateway.awaitRunning(Duration.ofSeconds(60))).isTrue();
        url = "http://127.0.0.1:" + gateway.port();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!gateway.health().up()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void submit_wait_writes_the_error_file_of_a_job_whose_lines_cannot_run() throws Exception {
        // given
        Path dir = Files.createTempDirectory("cli-batch");
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{not json\n{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/embeddings\"}\n");

        // when
        int code = run("batch", "submit", input.toString(), "--wait", "--out", dir.toString());

        // then: every line failed, so the job ended "completed" with only an error file
        String batchId = out.toString().lines().findFirst().orElseThrow();
        assertThat(batchId).startsWith("batch_");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve(batchId + "_errors.jsonl")))
                .contains("invalid_json")
                .contains("invalid_url");
        assertThat(dir.resolve(batchId + "_output.jsonl")).doesNotExist();
        assertThat(err.toString()).doesNotContain(KEY);
    }

    @Test
    void status_cancel_and_list_follow_a_running_job() throws Exception {
        // given: three requests, one in flight that nothing answers here
        Path input = Files.createTempFile("cli-batch", ".jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            lines.append("{\"custom_id\":\"r")
                    .append(i)
                    .append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\","
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"q")
                    .append(i)
                    .append("\"}]}}\n");
        }
        Files.writeString(input, lines.toString());
        assertThat(run("batch", "submit", input.toString(), "--budget-usd", "5", "--strong-share", "0.3"))
                .as(err.toString())
                .isZero();
        String batchId = out.toString().strip();
        // the ledger sends the first request within its feed interval: cancel once it is in flight
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            assertThat(System.nanoTime())
                    .as("one request in flight within 30 s")
                    .isLessThan(deadline);
            Thread.sleep(100);
            assertThat(fresh().run("batch", "status", batchId, "--json")).isZero();
        } while (!out.toString().contains("\"in_flight\":1"));

        // when
        assertThat(fresh().run("batch", "cancel", batchId)).isZero();
        String cancelled = out.toString();
        assertThat(fresh().run("batch", "status", batchId, "--json")).isZero();
        String status = out.toString();
        assertThat(fresh().run("batch", "list")).isZero();
        String list = out.toString();

        // then
        assertThat(cancelled).contains("cancelling");
        assertThat(status)
                .contains("\"budget_usd\":5.0")
                .contains("\"strong_share\":0.3")
                .contains("\"failed\":2");
        assertThat(list).contains(batchId);
        assertThat(fresh().run("batch", "status", "batch_unknown")).isEqualTo(1);
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    private BatchGatewayCliIT fresh() {
        out = new StringWriter();
        err = new StringWriter();
        return this;
    }

    private int run(String... args) {
        List<String> line = new java.util.ArrayList<>(List.of(args));
        line.addAll(List.of("--gateway", url, "--api-key", KEY));
        CommandLine commandLine = KrouteCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(line.toArray(String[]::new));
    }
}
