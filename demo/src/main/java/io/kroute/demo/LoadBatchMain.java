package io.kroute.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.batch.BatchGatewayApp;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.Json;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The batch gateway's load command ({@code ops/run load-batch}): one OpenAI batch file whose lines repeat earlier
 * lines at a given share, run twice through the whole pipeline on a local broker (gateway, router-stream, workers,
 * replay endpoint): once as submitted, once with {@code kroute_dedup=false}. Prints what each run called, spent and
 * took, and the saving of answering each repeat once.
 *
 * <pre>
 * LoadBatchMain [--lines N] [--repeat-share R] [--latency-ms N] [--window N] [--seed S]
 * </pre>
 */
public final class LoadBatchMain {

    static final String USAGE =
            "usage: load-batch [--lines N] [--repeat-share R] [--latency-ms N] [--window N] [--seed S]";

    private static final String KEY = "sk-load-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LoadBatchMain() {}

    record Run(String name, int lines, int calls, int cacheHits, double spentUsd, double wallS, int failed) {}

    public static void main(String[] args) throws Exception {
        int lines = 2_000;
        double repeatShare = 0.3;
        int latencyMs = 200;
        int window = 1_000;
        long seed = 7;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (args[i].equals("--help") || args[i].equals("-h")) {
                    System.out.println(USAGE);
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String flag = args[i];
                String value = args[i + 1];
                switch (flag) {
                    case "--lines" -> lines = DemoOptions.intIn(flag, value, 1, 50_000);
                    case "--repeat-share" -> repeatShare = share(flag, value);
                    case "--latency-ms" -> latencyMs = DemoOptions.intIn(flag, value, 0, 60_000);
                    case "--window" -> window = DemoOptions.intIn(flag, value, 1, 50_000);
                    case "--seed" -> seed = DemoOptions.intIn(flag, value, 0, Integer.MAX_VALUE);
                    default -> throw new IllegalArgumentException("unknown option " + flag + " (" + USAGE + ")");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("load-batch: " + e.getMessage());
            System.exit(2);
            return;
        }
        ReplayDataset dataset = ReplayDataset.loadBundled();
        List<ReplayItem> pool = new ArrayList<>(dataset.items(ReplayDataset.GSM8K));
        pool.addAll(dataset.items(ReplayDataset.MMLU));
        int distinct = (int) Math.round(lines * (1 - repeatShare));
        if (distinct > pool.size() || distinct < 1) {
            System.err.println("load-batch: " + distinct + " distinct prompts needed, the replay data holds "
                    + pool.size() + ": lower --lines or raise --repeat-share");
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("kroute-load-batch");
        Path file = writeFile(dir.resolve("input.jsonl"), pool, lines, distinct, new Random(seed));
        Path warmUp = writeFile(
                dir.resolve("warm-up.jsonl"), pool, Math.min(200, lines), Math.min(200, lines), new Random(seed + 1));

        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.withPrefix("load-batch-");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicProvisioner.createAll(admin, topics, 4, (short) 1);
            }
            BatchGatewayConfig config = BatchGatewayConfig.defaults()
                    .withKafka(bootstrap, topics.prefix(), Map.of())
                    .withServing(
                            "kroute-load-batch",
                            dir.resolve("gateway").toString(),
                            0,
                            List.of(new BatchGatewayConfig.ApiKey("load", "LOAD_KEY", "")))
                    .withMaxInFlightPerJob(window);
            log("broker " + bootstrap + "; " + lines + " lines, " + distinct + " distinct (" + pct(repeatShare)
                    + " repeats), replay latency " + latencyMs + " ms, window " + window + " per job, random router");
            List<Run> runs = new ArrayList<>();
            try (Pipeline pipeline = Pipeline.start(
                            bootstrap,
                            topics,
                            dataset,
                            Map.of(
                                    RouterStreamSettings.ROUTER, "random:7",
                                    RouterStreamSettings.THRESHOLD, "0.5",
                                    RouterStreamSettings.CALIBRATION, "card"),
                            latencyMs,
                            DemoFaults.none(),
                            seed);
                    BatchGatewayApp gateway = BatchGatewayApp.start(config, Map.of("LOAD_KEY", KEY)::get)) {
                gateway.awaitRunning(Duration.ofSeconds(60));
                String base = "http://127.0.0.1:" + gateway.port() + "/v1";
                awaitHealthy("http://127.0.0.1:" + gateway.port() + "/health");
                // a warm-up job first (JIT, connections, the topics' first fetches), not reported; then without dedup:
                // with it first, the second run would be answered from the first run's answers
                run("warm-up", base, warmUp, Math.min(200, lines), "{\"kroute_dedup\":\"false\"}");
                runs.add(run("dedup off", base, file, lines, "{\"kroute_dedup\":\"false\"}"));
                runs.add(run("dedup on", base, file, lines, "{}"));
            }
            print(runs, lines, distinct);
        }
    }

    private static Path writeFile(Path file, List<ReplayItem> pool, int lines, int distinct, Random random)
            throws IOException {
        List<String> prompts = new ArrayList<>(
                pool.subList(0, distinct).stream().map(ReplayItem::prompt).toList());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            // the distinct prompts first in order, the repeats of earlier lines spread among them at random
            String prompt = i < distinct ? prompts.get(i) : prompts.get(random.nextInt(distinct));
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("custom_id", "line-" + i);
            line.put("method", "POST");
            line.put("url", "/v1/chat/completions");
            ObjectNode body = line.putObject("body");
            body.put("model", "gpt-4-1106-preview");
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
            body.put("max_tokens", 1024);
            out.append(line).append('\n');
        }
        List<String> shuffled = new ArrayList<>(List.of(out.toString().split("\n")));
        java.util.Collections.shuffle(shuffled, random);
        Files.writeString(file, String.join("\n", shuffled) + "\n");
        return file;
    }

    private static Run run(String name, String base, Path file, int lines, String metadata) throws Exception {
        long start = System.nanoTime();
        String fileId = json(upload(base, file)).path("id").asText();
        String batchId = json(post(
                        base + "/batches",
                        "{\"input_file_id\":\"" + fileId
                                + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\","
                                + "\"metadata\":" + metadata + "}"))
                .path("id")
                .asText();
        JsonNode batch;
        long lastLog = 0;
        while (true) {
            batch = json(get(base + "/batches/" + batchId));
            String status = batch.path("status").asText();
            if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                break;
            }
            if (System.nanoTime() - lastLog > 5_000_000_000L) {
                lastLog = System.nanoTime();
                log(name + ": "
                        + (batch.at("/request_counts/completed").asInt()
                                + batch.at("/request_counts/failed").asInt()) + "/" + lines + " done");
            }
            Thread.sleep(250);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        JsonNode kroute = batch.path("kroute");
        return new Run(
                name,
                lines,
                kroute.path("strong").asInt() + kroute.path("weak").asInt(),
                kroute.path("cache_hits").asInt(),
                kroute.path("spent_usd").asDouble(),
                wall,
                batch.at("/request_counts/failed").asInt());
    }

    private static void print(List<Run> runs, int lines, int distinct) {
        System.out.printf(
                Locale.ROOT,
                "%n| run | lines | provider calls | answered from a twin | failed | spent (USD) |"
                        + " wall (s) | lines/s |%n|---|---|---|---|---|---|---|---|%n");
        for (Run r : runs) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %.4f | %.1f | %.0f |%n",
                    r.name(),
                    r.lines(),
                    r.calls(),
                    r.cacheHits(),
                    r.failed(),
                    r.spentUsd(),
                    r.wallS(),
                    r.lines() / r.wallS());
        }
        Run off = runs.get(0);
        Run on = runs.get(1);
        System.out.printf(
                Locale.ROOT,
                "%nrepeats in the file: %d of %d lines; dedup saved %s of the calls and %s of the spend%n",
                lines - distinct,
                lines,
                pct(1 - (double) on.calls() / off.calls()),
                pct(1 - on.spentUsd() / off.spentUsd()));
    }

    private static double share(String flag, String value) {
        double share;
        try {
            share = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number from 0 to 0.95, got '" + value + "'");
        }
        if (!(share >= 0 && share <= 0.95)) {
            throw new IllegalArgumentException(flag + " must be a number from 0 to 0.95, got '" + value + "'");
        }
        return share;
    }

    private static HttpResponse<String> upload(String base, Path file) throws Exception {
        String boundary = "kroute-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                        + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"input.jsonl\"\r\n"
                        + "Content-Type: application/jsonl\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(base + "/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofByteArray(tail))));
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(
                request.header("Authorization", "Bearer " + KEY)
                        .timeout(Duration.ofSeconds(120))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("gateway answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    private static void awaitHealthy(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway was not healthy within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static void log(String message) {
        System.err.println("[load-batch] " + message);
    }
}
