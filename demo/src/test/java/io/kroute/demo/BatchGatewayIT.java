package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.replay.ReplayServer;
import io.kroute.schemas.Json;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A batch job through the official OpenAI Java SDK against the gateway, on real parts: a real broker, the gateway and
 * the workers as child JVMs through their deployed mains, the router-stream, and the replay endpoint. Mid-job the
 * gateway is killed (SIGKILL) and started again, then a worker is; every custom_id still ends exactly once, in the
 * output or the error file, and identical requests are answered once.
 */
@Tag("integration")
@Timeout(480)
class BatchGatewayIT {

    private static final TestKafka kafka = TestKafka.shared();
    private static final String OWNER_KEY = "sk-it-owner-" + UUID.randomUUID();
    private static final String OTHER_KEY = "sk-it-other-" + UUID.randomUUID();
    private static final int DISTINCT = 240;
    private static final int REPEATS = 40;

    @Test
    void every_custom_id_ends_once_through_a_gateway_kill_and_a_worker_kill() throws Exception {
        // given
        Topics topics = Topics.withPrefix("batch-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 4);
        Path dir = Files.createTempDirectory("kroute-batch-it");
        ReplayDataset dataset = ReplayDataset.loadBundled();
        List<ReplayItem> items = dataset.items(ReplayDataset.GSM8K).subList(0, DISTINCT);
        Path input = dir.resolve("input.jsonl");
        Set<String> validIds = writeInput(input, items);
        int gatewayPort = freePort();
        BatchGatewayConfig config = BatchGatewayConfig.defaults()
                .withKafka(kafka.bootstrapServers(), topics.prefix(), Map.of())
                .withServing(
                        "kroute-batch-" + UUID.randomUUID(),
                        dir.resolve("gateway-state").toString(),
                        gatewayPort,
                        List.of(
                                new BatchGatewayConfig.ApiKey("owner", "IT_OWNER_KEY", ""),
                                new BatchGatewayConfig.ApiKey("other", "IT_OTHER_KEY", "")))
                // a small window, so the job is still running when the kills come
                .withMaxInFlightPerJob(16);
        Map<String, String> env = Map.of("IT_OWNER_KEY", OWNER_KEY, "IT_OTHER_KEY", OTHER_KEY);

        Vertx vertx = Vertx.vertx();
        ReplayServer strong = Pipeline.provider(vertx, dataset, 20, DemoFaults.none(), 1, Tier.STRONG);
        ReplayServer weak = Pipeline.provider(vertx, dataset, 20, DemoFaults.none(), 1, Tier.WEAK);
        try (RouterStreamApp stream = RouterStreamApp.start(Pipeline.streamSettings(
                        kafka.bootstrapServers(),
                        topics,
                        Map.of(
                                RouterStreamSettings.ROUTER, "random:5",
                                RouterStreamSettings.THRESHOLD, "0.5",
                                RouterStreamSettings.CALIBRATION, "card")));
                ComponentProcess workers = ComponentProcess.workers(
                        Pipeline.workerConfig(kafka.bootstrapServers(), topics, strong.baseUrl(), weak.baseUrl(), 20)
                                .withInstanceId("batch-it-worker")
                                .withMetricsPort(freePort()),
                        dir,
                        "workers");
                ComponentProcess gateway = ComponentProcess.batchGateway(config, dir, "gateway", env)) {
            workers.awaitHealthy(Duration.ofSeconds(120));
            gateway.awaitHealthy(Duration.ofSeconds(120));
            assertThat(stream.awaitRunning(Duration.ofSeconds(60))).isTrue();
            OpenAIClient first = client(gatewayPort, OWNER_KEY);

            // when: upload and create with the SDK
            FileObject file = first.files()
                    .create(FileCreateParams.builder()
                            .file(input)
                            .purpose(FilePurpose.BATCH)
                            .build());
            Batch batch = first.batches()
                    .create(BatchCreateParams.builder()
                            .inputFileId(file.id())
                            .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                            .completionWindow(BatchCreateParams.CompletionWindow._24H)
                            .build());
            assertThat(batch.requestCounts().orElseThrow().total()).isEqualTo(DISTINCT + REPEATS + 3);

            // another key does not see it, a wrong key is refused
            assertThatThrownBy(() -> client(gatewayPort, OTHER_KEY).batches().retrieve(batch.id()))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> client(gatewayPort, "sk-wrong").batches().retrieve(batch.id()))
                    .isInstanceOf(UnauthorizedException.class);

            // the gateway is killed mid-job and restarted with its state directory gone: all it knows is in Kafka
            awaitDone(first, batch.id(), 60, Duration.ofSeconds(120));
            gateway.kill();
            deleteTree(dir.resolve("gateway-state"));
            gateway.restart();
            gateway.awaitHealthy(Duration.ofSeconds(120));
            // a new client: the first one's pooled connections died with the gateway
            OpenAIClient client = client(gatewayPort, OWNER_KEY);
            long afterRestart = done(client.batches().retrieve(batch.id()));
            assertThat(afterRestart).isGreaterThanOrEqualTo(60);

            // then a worker is killed mid-call and restarted
            awaitDone(client, batch.id(), afterRestart + 40, Duration.ofSeconds(120));
            workers.kill();
            workers.restart();
            workers.awaitHealthy(Duration.ofSeconds(120));

            Batch finished = awaitStatus(client, batch.id(), Duration.ofSeconds(240));

            // then
            assertThat(finished.status()).isEqualTo(Batch.Status.COMPLETED);
            List<JsonNode> output =
                    lines(client.files().content(finished.outputFileId().orElseThrow()));
            List<JsonNode> errors =
                    lines(client.files().content(finished.errorFileId().orElseThrow()));
            List<String> outputIds = new ArrayList<>();
            output.forEach(line -> outputIds.add(line.path("custom_id").asText()));
            assertThat(outputIds).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(validIds);
            for (JsonNode line : output) {
                assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
                assertThat(line.at("/response/body/choices/0/message/content").asText())
                        .isNotBlank();
                assertThat(line.at("/response/body/model").asText())
                        .isIn(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL);
            }
            assertThat(errors)
                    .extracting(e -> e.at("/error/code").asText())
                    .containsExactlyInAnyOrder("invalid_json", "invalid_url", "duplicate_custom_id");
            assertThat(finished.requestCounts().orElseThrow().completed()).isEqualTo(validIds.size());
            assertThat(finished.requestCounts().orElseThrow().failed()).isEqualTo(3);

            // the repeated requests were answered from their twins' answers, without a call
            JsonNode kroute =
                    Json.MAPPER.valueToTree(finished._additionalProperties().get("kroute"));
            assertThat(kroute.path("cache_hits").asInt()).isEqualTo(REPEATS);
            assertThat(kroute.path("strong").asInt() + kroute.path("weak").asInt())
                    .isEqualTo(DISTINCT);
            assertThat(kroute.path("spent_usd").asDouble()).isPositive();

            // and a job with a budget never spends more than it: the rest goes to the cheaper model, or ends unanswered
            Path budgeted = dir.resolve("budgeted.jsonl");
            StringBuilder lines = new StringBuilder();
            List<ReplayItem> more = dataset.items(ReplayDataset.GSM8K).subList(DISTINCT, DISTINCT + 30);
            for (int i = 0; i < more.size(); i++) {
                lines.append(line("b-" + i, "/v1/chat/completions", more.get(i).prompt())
                                .replace("\"max_tokens\":512", "\"max_tokens\":64"))
                        .append('\n');
            }
            Files.writeString(budgeted, lines.toString());
            double budget = 0.03;
            Batch capped = client.batches()
                    .create(BatchCreateParams.builder()
                            .inputFileId(client.files()
                                    .create(FileCreateParams.builder()
                                            .file(budgeted)
                                            .purpose(FilePurpose.BATCH)
                                            .build())
                                    .id())
                            .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                            .completionWindow(BatchCreateParams.CompletionWindow._24H)
                            .metadata(BatchCreateParams.Metadata.builder()
                                    .putAdditionalProperty("kroute_budget_usd", JsonValue.from(Double.toString(budget)))
                                    .putAdditionalProperty("kroute_dedup", JsonValue.from("false"))
                                    .build())
                            .build());
            Batch cappedDone = awaitStatus(client, capped.id(), Duration.ofSeconds(120));
            JsonNode money =
                    Json.MAPPER.valueToTree(cappedDone._additionalProperties().get("kroute"));
            assertThat(cappedDone.requestCounts().orElseThrow().completed()
                            + cappedDone.requestCounts().orElseThrow().failed())
                    .isEqualTo(30);
            assertThat(money.path("spent_usd").asDouble()).isPositive().isLessThanOrEqualTo(budget);
            assertThat(money.path("reserved_usd").asDouble()).isZero();
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** DISTINCT requests, REPEATS of them again under new custom_ids, and three lines that cannot run. */
    private static Set<String> writeInput(Path input, List<ReplayItem> items) throws IOException {
        Set<String> valid = new HashSet<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            file.append(line("req-" + i, "/v1/chat/completions", items.get(i).prompt()))
                    .append('\n');
            valid.add("req-" + i);
        }
        for (int i = 0; i < REPEATS; i++) {
            file.append(line(
                            "again-" + i,
                            "/v1/chat/completions",
                            items.get(i * 3).prompt()))
                    .append('\n');
            valid.add("again-" + i);
        }
        file.append("{not json\n");
        file.append(line("embeddings-1", "/v1/embeddings", "hello")).append('\n');
        file.append(line("req-0", "/v1/chat/completions", "a second req-0")).append('\n');
        Files.writeString(input, file.toString());
        return valid;
    }

    private static String line(String customId, String url, String prompt) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("custom_id", customId);
        line.put("method", "POST");
        line.put("url", url);
        ObjectNode body = line.putObject("body");
        body.put("model", "gpt-4-1106-preview");
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("max_tokens", 512);
        return line.toString();
    }

    private static OpenAIClient client(int port, String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .maxRetries(0)
                .build();
    }

    private static long done(Batch batch) {
        return batch.requestCounts().map(c -> c.completed() + c.failed()).orElse(0L);
    }

    private static void awaitDone(OpenAIClient client, String id, long atLeast, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done(client.batches().retrieve(id)) < atLeast) {
            assertThat(System.nanoTime())
                    .as("%d requests done within %s", atLeast, timeout)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static Batch awaitStatus(OpenAIClient client, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Batch batch = client.batches().retrieve(id);
            Batch.Status status = batch.status();
            if (status.equals(Batch.Status.COMPLETED)
                    || status.equals(Batch.Status.FAILED)
                    || status.equals(Batch.Status.CANCELLED)
                    || status.equals(Batch.Status.EXPIRED)) {
                return batch;
            }
            assertThat(System.nanoTime())
                    .as("batch finished within %s; last seen %s", timeout, batch)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static List<JsonNode> lines(HttpResponse response) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (response;
                InputStream body = response.body()) {
            for (String line : new String(body.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
