package io.kroute.batch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.batch.BatchGatewayApp;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.schemas.Json;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API's answers to what a client gets wrong, over real HTTP against a gateway on a real broker: each refusal in
 * OpenAI's error shape with the status OpenAI uses, and a bad line of a good file costing only that line.
 */
@Tag("integration")
@Timeout(180)
class BatchApiIT {

    private static final TestKafka kafka = TestKafka.shared();
    private static final String KEY = "sk-api-it-" + UUID.randomUUID();
    private static final String OTHER = "sk-api-it-other-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static BatchGatewayApp gateway;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Topics topics = Topics.withPrefix("api-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 1);
        BatchGatewayConfig config = BatchGatewayConfig.parse("max_lines: 5\nmax_file_bytes: 4000\n")
                .withKafka(kafka.bootstrapServers(), topics.prefix(), Map.of())
                .withServing(
                        "kroute-batch-api-" + UUID.randomUUID(),
                        Files.createTempDirectory("batch-api-it").toString(),
                        0,
                        List.of(
                                new BatchGatewayConfig.ApiKey("me", "K1", ""),
                                new BatchGatewayConfig.ApiKey("you", "K2", "")))
                .withMaxInFlightPerJob(1);
        gateway = BatchGatewayApp.start(config, Map.of("K1", KEY, "K2", OTHER)::get);
        assertThat(gateway.awaitRunning(Duration.ofSeconds(60))).isTrue();
        base = "http://127.0.0.1:" + gateway.port();
        awaitHealthy();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void a_missing_or_wrong_key_is_401_and_never_echoed() throws Exception {
        HttpResponse<String> none = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/batches")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = send("GET", "/v1/batches", "sk-guess-123", null, null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong).path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(wrong.body()).doesNotContain("sk-guess-123");
    }

    @Test
    void files_over_the_limits_or_with_another_purpose_are_400() throws Exception {
        String sixLines = line("a").repeat(0) + (line("1") + line("2") + line("3") + line("4") + line("5") + line("6"));
        String big = line("x".repeat(5000));

        HttpResponse<String> tooMany = upload(sixLines, "batch");
        HttpResponse<String> tooBig = upload(big, "batch");
        HttpResponse<String> purpose = upload(line("1"), "fine-tune");
        HttpResponse<String> empty = upload("\n\n", "batch");

        assertThat(List.of(tooMany, tooBig, purpose, empty)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        });
        assertThat(error(tooMany).path("message").asText()).contains("more than 5 lines");
        assertThat(error(tooBig).path("message").asText()).contains("4000");
        assertThat(error(purpose).path("param").asText()).isEqualTo("purpose");

        // a body past the file limit plus its envelope is cut off while it arrives, not stored and then judged
        HttpResponse<String> huge = upload(line("x".repeat(100_000)), "batch");
        HttpResponse<String> notMultipart = send("POST", "/v1/files", KEY, "application/json", "{}");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(error(huge).path("message").asText()).contains("the request is over");
        assertThat(notMultipart.statusCode()).isEqualTo(400);
        assertThat(error(notMultipart).path("param").asText()).isEqualTo("file");
    }

    @Test
    void a_port_in_use_is_refused_in_one_line_naming_it() throws Exception {
        BatchGatewayConfig taken = BatchGatewayConfig.defaults()
                .withKafka(kafka.bootstrapServers(), "api-port-" + UUID.randomUUID() + "-", Map.of())
                .withServing(
                        "kroute-batch-port-" + UUID.randomUUID(),
                        Files.createTempDirectory("batch-api-port").toString(),
                        gateway.port(),
                        List.of(new BatchGatewayConfig.ApiKey("me", "K1", "")));

        assertThatThrownBy(() -> BatchGatewayApp.start(taken, Map.of("K1", KEY)::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port " + gateway.port());
    }

    @Test
    void an_uploaded_file_reads_back_byte_for_byte_and_only_for_its_owner() throws Exception {
        String content = line("1") + line("2");
        JsonNode file = Json.MAPPER.readTree(upload(content, "batch").body());

        HttpResponse<String> back = send("GET", "/v1/files/" + file.path("id").asText() + "/content", KEY, null, null);
        HttpResponse<String> theirs =
                send("GET", "/v1/files/" + file.path("id").asText() + "/content", OTHER, null, null);

        assertThat(file.path("object").asText()).isEqualTo("file");
        assertThat(file.path("bytes").asLong()).isEqualTo(content.getBytes(StandardCharsets.UTF_8).length);
        assertThat(back.body()).isEqualTo(content);
        assertThat(theirs.statusCode()).isEqualTo(404);
    }

    @Test
    void a_batch_for_an_unknown_file_or_with_bad_fields_is_400_and_an_unknown_batch_404() throws Exception {
        String fileId = Json.MAPPER
                .readTree(upload(line("1"), "batch").body())
                .path("id")
                .asText();

        HttpResponse<String> unknownFile = create("file-nope", "/v1/chat/completions", "24h", "{}");
        HttpResponse<String> endpoint = create(fileId, "/v1/embeddings", "24h", "{}");
        HttpResponse<String> window = create(fileId, "/v1/chat/completions", "1h", "{}");
        HttpResponse<String> budget = create(fileId, "/v1/chat/completions", "24h", "{\"kroute_budget_usd\":\"-1\"}");
        HttpResponse<String> share = create(fileId, "/v1/chat/completions", "24h", "{\"kroute_strong_share\":\"2\"}");
        HttpResponse<String> longKey =
                create(fileId, "/v1/chat/completions", "24h", "{\"" + "k".repeat(65) + "\":\"v\"}");
        HttpResponse<String> notJson = send("POST", "/v1/batches", KEY, "application/json", "{oops");
        HttpResponse<String> huge =
                send("POST", "/v1/batches", KEY, "application/json", "{\"x\":\"" + "y".repeat(100_000) + "\"}");
        HttpResponse<String> unknownBatch = send("GET", "/v1/batches/batch_nope", KEY, null, null);

        assertThat(List.of(unknownFile, endpoint, window, budget, share, longKey, notJson, huge))
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(400));
        assertThat(error(budget).path("message").asText()).contains("kroute_budget_usd");
        assertThat(unknownBatch.statusCode()).isEqualTo(404);
        assertThat(error(unknownBatch).path("message").asText()).contains("batch_nope");
    }

    @Test
    void bad_lines_end_in_the_error_file_and_the_job_still_finishes() throws Exception {
        // given: three lines that cannot run and nothing else
        String content = "{not json\n" + line("1").replace("/v1/chat/completions", "/v1/embeddings")
                + "{\"custom_id\":\"x\",\"method\":\"GET\",\"url\":\"/v1/chat/completions\",\"body\":{}}\n";
        String fileId =
                Json.MAPPER.readTree(upload(content, "batch").body()).path("id").asText();

        // when
        JsonNode batch = Json.MAPPER.readTree(
                create(fileId, "/v1/chat/completions", "24h", "{}").body());

        // then
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.at("/request_counts/failed").asInt()).isEqualTo(3);
        assertThat(batch.path("output_file_id").isNull()).isTrue();
        String errors = send("GET", "/v1/files/" + batch.path("error_file_id").asText() + "/content", KEY, null, null)
                .body();
        assertThat(errors.lines().map(l -> {
                    try {
                        return Json.MAPPER.readTree(l).at("/error/code").asText();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }))
                .containsExactly("invalid_json", "invalid_url", "invalid_method");
        assertThat(send("GET", "/v1/batches/" + batch.path("id").asText(), OTHER, null, null)
                        .statusCode())
                .isEqualTo(404);
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).containsPattern("kroute_batch_requests_ended_total\\{how=\"invalid_line\"} [3-9]");
    }

    @Test
    void a_cancel_ends_every_request_not_yet_sent() throws Exception {
        // given: no router runs here, so the one request in flight (window 1) never comes back
        String fileId = Json.MAPPER
                .readTree(upload(line("1") + line("2") + line("3"), "batch").body())
                .path("id")
                .asText();
        String id = Json.MAPPER
                .readTree(create(fileId, "/v1/chat/completions", "24h", "{}").body())
                .path("id")
                .asText();
        awaitInFlight(id);

        // when
        JsonNode cancelled = Json.MAPPER.readTree(
                send("POST", "/v1/batches/" + id + "/cancel", KEY, null, "").body());

        // then
        assertThat(cancelled.path("status").asText()).isEqualTo("cancelling");
        assertThat(cancelled.at("/request_counts/failed").asInt()).isEqualTo(2);
        assertThat(cancelled.at("/kroute/in_flight").asInt()).isEqualTo(1);
        JsonNode list = Json.MAPPER.readTree(
                send("GET", "/v1/batches?limit=100", KEY, null, null).body());
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").findValuesAsText("id")).contains(id);
        assertThat(send("GET", "/v1/batches?limit=0", KEY, null, null).statusCode())
                .isEqualTo(400);
    }

    // --- helpers

    private static String line(String customId) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"question " + customId
                + "\"}]}}\n";
    }

    private static HttpResponse<String> upload(String content, String purpose) throws Exception {
        String boundary = "kroute-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return send("POST", "/v1/files", KEY, "multipart/form-data; boundary=" + boundary, body);
    }

    private static HttpResponse<String> create(String fileId, String endpoint, String window, String metadata)
            throws Exception {
        return send(
                "POST",
                "/v1/batches",
                KEY,
                "application/json",
                "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"" + endpoint + "\",\"completion_window\":\""
                        + window + "\",\"metadata\":" + metadata + "}");
    }

    private static HttpResponse<String> send(String method, String path, String key, String type, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body()).path("error");
    }

    private static void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (HTTP.send(
                                HttpRequest.newBuilder(URI.create(base + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                != 200) {
            assertThat(System.nanoTime()).as("healthy within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitInFlight(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Json.MAPPER
                        .readTree(send("GET", "/v1/batches/" + id, KEY, null, null)
                                .body())
                        .at("/kroute/in_flight")
                        .asInt()
                < 1) {
            assertThat(System.nanoTime())
                    .as("one request in flight within 30 s")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
