package io.kroute.cli;

import static io.kroute.cli.FakeGateway.KEY;
import static io.kroute.cli.FakeGateway.batchJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The batch commands as a user runs them, through picocli, against an in-test HTTP server playing the gateway. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo\"}]}}\n"
            + "{\"custom_id\":\"r2\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"bye\"}]}}\n";
    private static final String KROUTE_SO_FAR =
            "{\"spent_usd\":0.004,\"reserved_usd\":0.002,\"budget_usd\":2.5,\"cache_hits\":null}";
    private static final String KROUTE_DONE = "{\"spent_usd\":0.0123,\"reserved_usd\":0,\"budget_usd\":2.5,"
            + "\"cache_hits\":2,\"strong\":5,\"weak\":3,\"queued\":0,\"in_flight\":0}";

    @TempDir
    Path dir;

    private FakeGateway gateway;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = FakeGateway.start();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void submitWaitUploadsCreatesFollowsAndDownloads() throws IOException {
        // given
        Path input = Files.writeString(dir.resolve("requests.jsonl"), INPUT);
        Path results = dir.resolve("results");
        gateway.created = batchJson("batch_abc", "validating", 0, 0, 0, null, null, null);
        gateway.batch(
                "batch_abc",
                batchJson("batch_abc", "in_progress", 10, 3, 1, null, null, KROUTE_SO_FAR),
                batchJson("batch_abc", "finalizing", 10, 9, 1, null, null, KROUTE_SO_FAR),
                batchJson("batch_abc", "completed", 10, 9, 1, "file-out", "file-err", KROUTE_DONE));
        gateway.file("file-out", "{\"custom_id\":\"r1\"}\n");
        gateway.file("file-err", "{\"custom_id\":\"r2\"}\n");

        // when
        int exit = batch(
                "submit",
                input.toString(),
                "--strong-share",
                "0.3",
                "--budget-usd",
                "2.5",
                "--on-budget",
                "wait",
                "--no-dedup",
                "--metadata",
                "team=search",
                "--metadata",
                "run=7",
                "--wait",
                "--out",
                results.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out.toString().lines()).containsExactly("batch_abc");
        Map<String, String> parts = multipartFields(gateway.uploadContentType, gateway.uploadBody);
        assertThat(parts).containsEntry("purpose", "batch").containsEntry("file", INPUT);
        JsonNode create = JSON.readTree(gateway.createBody);
        assertThat(create.path("input_file_id").asText()).isEqualTo(FakeGateway.FILE_ID);
        assertThat(create.path("endpoint").asText()).isEqualTo("/v1/chat/completions");
        assertThat(create.path("completion_window").asText()).isEqualTo("24h");
        assertThat(JSON.convertValue(create.path("metadata"), Map.class))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "kroute_strong_share", "0.3",
                        "kroute_budget_usd", "2.5",
                        "kroute_on_budget", "wait",
                        "kroute_dedup", "false",
                        "team", "search",
                        "run", "7"));
        assertThat(gateway.calls)
                .filteredOn(call -> call.equals("GET /v1/batches/batch_abc"))
                .hasSize(3);
        assertThat(results.resolve("batch_abc_output.jsonl")).hasContent("{\"custom_id\":\"r1\"}");
        assertThat(results.resolve("batch_abc_errors.jsonl")).hasContent("{\"custom_id\":\"r2\"}");
        assertThat(err.toString().lines())
                .containsExactly("batch: batch_abc completed: 9 completed, 1 failed, $0.0123 spent; wrote "
                        + results.resolve("batch_abc_output.jsonl") + ", " + results.resolve("batch_abc_errors.jsonl"));
    }

    @Test
    void submitWithoutWaitPrintsTheIdOnly() throws IOException {
        // given
        Path input = Files.writeString(dir.resolve("in.jsonl"), INPUT);
        gateway.created = batchJson("batch_new", "validating", 0, 0, 0, null, null, null);

        // when
        int exit = batch("submit", input.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("batch_new" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
        assertThat(JSON.readTree(gateway.createBody).path("metadata").size()).isZero();
        assertThat(gateway.calls).containsExactly("POST /v1/files", "POST /v1/batches");
    }

    @Test
    void waitingOnABatchThatFailsExitsOneWithItsFirstError() throws IOException {
        // given
        Path input = Files.writeString(dir.resolve("in.jsonl"), INPUT);
        gateway.created = batchJson("batch_bad", "validating", 0, 0, 0, null, null, null);
        gateway.batch(
                "batch_bad",
                batchJson("batch_bad", "failed", 0, 0, 0, null, null, null)
                        .replace(
                                "\"errors\":null",
                                "\"errors\":{\"object\":\"list\",\"data\":[{\"code\":\"invalid_json_line\","
                                        + "\"message\":\"not JSON\",\"line\":2}]}"));

        // when
        int exit = batch("submit", input.toString(), "--wait", "--out", dir.toString());

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString().lines()).containsExactly("batch_bad");
        assertThat(err.toString().lines())
                .containsExactly("batch: batch_bad failed: 0 completed, 0 failed; line 2: not JSON");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(input);
        }
    }

    @Test
    void waitingRidesOutAGatewayThatIsBrieflyUnavailable() throws IOException {
        // given
        Path input = Files.writeString(dir.resolve("in.jsonl"), INPUT);
        gateway.created = batchJson("batch_r", "validating", 0, 0, 0, null, null, null);
        gateway.batch("batch_r", batchJson("batch_r", "completed", 2, 2, 0, "file-out", null, null));
        gateway.file("file-out", "{}\n");
        gateway.unavailable.set(2);

        // when
        int exit = batch("submit", input.toString(), "--wait", "--out", dir.toString());

        // then
        assertThat(exit).isZero();
        assertThat(gateway.calls)
                .filteredOn(call -> call.startsWith("GET /v1/batches/"))
                .hasSize(3);
        assertThat(dir.resolve("batch_r_output.jsonl")).hasContent("{}");
        assertThat(dir.resolve("batch_r_errors.jsonl")).doesNotExist();
    }

    @Test
    void statusIsOneReadableBlock() {
        // given
        gateway.batch("batch_abc", batchJson("batch_abc", "completed", 10, 9, 1, "file-out", "file-err", KROUTE_DONE));
        gateway.batch("batch_old", batchJson("batch_old", "in_progress", 4, 1, 0, null, null, null));

        // when
        int full = batch("status", "batch_abc");
        int plain = batch("status", "batch_old");

        // then
        assertThat(full).isZero();
        assertThat(plain).isZero();
        assertThat(out.toString().lines())
                .containsExactly(
                        "batch_abc  completed",
                        "  requests  10 of 10 done (9 completed, 1 failed)",
                        "  cost      $0.0123 spent, $0.0000 reserved, budget $2.5000",
                        "  routing   5 strong, 3 weak, 2 cache hits",
                        "  queue     0 queued, 0 in flight",
                        "  created   2023-11-14T22:13:20Z",
                        "  output    file-out",
                        "  errors    file-err",
                        "batch_old  in_progress",
                        "  requests  1 of 4 done (1 completed, 0 failed)",
                        "  created   2023-11-14T22:13:20Z");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void statusJsonPrintsTheBatchObject() throws IOException {
        // given
        String object = batchJson("batch_abc", "in_progress", 10, 3, 1, null, null, KROUTE_SO_FAR);
        gateway.batch("batch_abc", object);

        // when
        int exit = batch("status", "batch_abc", "--json");

        // then
        assertThat(exit).isZero();
        assertThat(out.toString().lines()).hasSize(1);
        assertThat(JSON.readTree(out.toString())).isEqualTo(JSON.readTree(object));
    }

    @Test
    void resultsDownloadsTheFilesTheBatchHas() {
        // given
        gateway.batch("batch_abc", batchJson("batch_abc", "completed", 2, 2, 0, "file-out", null, null));
        gateway.file("file-out", "{\"custom_id\":\"r1\"}\n{\"custom_id\":\"r2\"}\n");
        Path results = dir.resolve("new/dir");

        // when
        int exit = batch("results", "batch_abc", "--out", results.toString());

        // then
        assertThat(exit).isZero();
        assertThat(out.toString().lines())
                .containsExactly(results.resolve("batch_abc_output.jsonl").toString());
        assertThat(results.resolve("batch_abc_output.jsonl"))
                .hasContent("{\"custom_id\":\"r1\"}\n{\"custom_id\":\"r2\"}");
        assertThat(results.resolve("batch_abc_errors.jsonl")).doesNotExist();
        assertThat(gateway.calls).doesNotContain("GET /v1/files/null/content");
    }

    @Test
    void resultsOfAnUnfinishedBatchIsOneLineAndExitOne() {
        // given
        gateway.batch("batch_abc", batchJson("batch_abc", "in_progress", 10, 3, 0, null, null, null));

        // when
        int exit = batch("results", "batch_abc", "--out", dir.toString());

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .containsExactly("kroute batch: batch batch_abc is in_progress: no results yet "
                        + "(kroute batch status batch_abc)");
    }

    @Test
    void cancelPrintsTheNewStatus() {
        // given
        gateway.cancelled = batchJson("batch_abc", "cancelling", 10, 3, 0, null, null, null);

        // when
        int exit = batch("cancel", "batch_abc");

        // then
        assertThat(exit).isZero();
        assertThat(out.toString().lines()).containsExactly("cancelling");
        assertThat(gateway.calls).containsExactly("POST /v1/batches/batch_abc/cancel");
    }

    @Test
    void listPrintsOneLinePerBatch() {
        // given
        gateway.list = "{\"object\":\"list\",\"data\":["
                + batchJson("batch_2", "in_progress", 10, 3, 1, null, null, KROUTE_SO_FAR) + ","
                + batchJson("batch_1", "completed", 2, 2, 0, "file-o", null, null)
                + "],\"first_id\":\"batch_2\",\"last_id\":\"batch_1\",\"has_more\":true}";

        // when
        int exit = batch("list", "--limit", "2");

        // then
        assertThat(exit).isZero();
        assertThat(gateway.calls).containsExactly("GET /v1/batches?limit=2");
        assertThat(out.toString().lines())
                .containsExactly(
                        "batch_2                        in_progress          4/10  2023-11-14T22:13:20Z  $0.0040",
                        "batch_1                        completed             2/2  2023-11-14T22:13:20Z  -");
        assertThat(err.toString().lines())
                .containsExactly("batch: more batches than these 2; raise --limit (up to 100)");
    }

    @Test
    void aRefusedKeyIsOneLineAndNeverShown() {
        // given: the fake echoes a wrong key in its 401, as some servers do
        String wrongKey = "sk-wrong-0a1b2c3d4e5f";

        // when
        int exit = run("batch", "status", "batch_abc", "--gateway", gateway.url(), "--api-key", wrongKey);

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("kroute batch: 401: Incorrect API key provided: ***");
        assertThat(out.toString() + err.toString()).doesNotContain(wrongKey);
    }

    @Test
    void anUnknownBatchIsOneLineAndExitOne() {
        // when
        int exit = batch("status", "batch_nope");

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("kroute batch: 404: No batch found with id 'batch_nope'");
        assertThat(out.toString() + err.toString()).doesNotContain(KEY);
    }

    @Test
    void anUnreachableGatewayIsOneLineNamingIt() throws IOException {
        // given
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        // when
        int exit = run("batch", "list", "--gateway", url, "--api-key", KEY);

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .startsWith("kroute batch: cannot connect to the gateway at " + url)
                .doesNotContain(KEY);
    }

    @Test
    void anAnswerOverFourMebibytesIsRefusedWhetherDeclaredOrNot() {
        // given
        String huge = "{\"object\":\"list\",\"data\":[],\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        gateway.list = huge;

        // when
        int chunked = batch("list");
        gateway.declareLargeLengths = true;
        int declared = batch("list");

        // then
        assertThat(new int[] {chunked, declared}).containsOnly(1);
        assertThat(err.toString().lines()).hasSize(2).allSatisfy(line -> assertThat(line)
                .startsWith("kroute batch: the gateway's answer is larger than 4 MiB; refused"));
        assertThat(out.toString()).isEmpty();
    }

    static Stream<List<String>> badUsage() {
        return Stream.of(
                List.of("submit", "in.jsonl", "--strong-share", "1.5"),
                List.of("submit", "in.jsonl", "--budget-usd", "-1"),
                List.of("submit", "in.jsonl", "--budget-usd", "NaN"),
                List.of("submit", "in.jsonl", "--on-budget", "never"),
                List.of("submit", "in.jsonl", "--metadata", "no-value"),
                List.of("submit", "in.jsonl", "--metadata", "kroute_dedup=false"),
                List.of("submit", "in.jsonl", "--out", "x"),
                List.of("submit", "in.jsonl", "--follow"),
                List.of("submit"),
                List.of("status", "../etc/passwd"),
                List.of("status"),
                List.of("list", "--limit", "101"),
                List.of("list", "--gateway", "ftp://example.com"),
                List.of("list", "--gateway", "http://user:pw@example.com"),
                List.of());
    }

    @ParameterizedTest
    @MethodSource("badUsage")
    void badUsageIsOneLineAndExitTwo(List<String> args) throws IOException {
        // given: a readable FILE, so only the option is wrong
        Files.writeString(dir.resolve("in.jsonl"), INPUT);
        List<String> line = new ArrayList<>(List.of("batch"));
        args.forEach(arg -> line.add(arg.equals("in.jsonl") ? dir.resolve(arg).toString() : arg));
        if (!args.isEmpty() && !args.contains("--gateway")) {
            line.addAll(List.of("--gateway", gateway.url(), "--api-key", KEY));
        }

        // when
        int exit = run(line.toArray(String[]::new));

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .startsWith("kroute batch")
                .endsWith("; try --help");
        assertThat(out.toString()).isEmpty();
        assertThat(gateway.calls).isEmpty();
    }

    @Test
    void aMissingFileIsOneLineAndExitTwo() {
        // when
        int exit = batch("submit", dir.resolve("nope.jsonl").toString());

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly("kroute batch: cannot read " + dir.resolve("nope.jsonl") + ": no such file");
        assertThat(gateway.calls).isEmpty();
    }

    /** {@code kroute batch ARGS --gateway <fake> --api-key <key>}. */
    private int batch(String... args) {
        List<String> line = new ArrayList<>(List.of("batch"));
        line.addAll(List.of(args));
        line.addAll(List.of("--gateway", gateway.url(), "--api-key", KEY));
        return run(line.toArray(String[]::new));
    }

    private int run(String... args) {
        out = out == null ? new StringWriter() : out;
        err = err == null ? new StringWriter() : err;
        CommandLine commandLine = KrouteCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        BatchSubmitCommand submit = commandLine
                .getSubcommands()
                .get("batch")
                .getSubcommands()
                .get("submit")
                .getCommand();
        submit.pollEvery = Duration.ofMillis(10);
        submit.patience = Duration.ofSeconds(5);
        return commandLine.execute(args);
    }

    /** The fields of a multipart/form-data body by name, each as UTF-8 text. */
    private static Map<String, String> multipartFields(String contentType, byte[] body) {
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        // ISO-8859-1 maps bytes to chars one to one, so splitting keeps every byte where it was
        String raw = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(raw).endsWith("--" + boundary + "--\r\n");
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : raw.split("--" + boundary)) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            String name = headers.replaceFirst("(?s).*?form-data; name=\"([^\"]*)\".*", "$1");
            String value = part.substring(headersEnd + 4, part.length() - 2);
            fields.put(name, new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
