package io.kroute.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.batch.BatchGatewayApp;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.batch.format.BatchFileReader;
import io.kroute.progress.Progress;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.Json;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The demo's prompts as one batch job ({@code ops/demo.sh --via-batch-api}): a batch gateway started on the run's
 * cluster and topics, the prompts written as an OpenAI batch file, uploaded and run as a client would, and the
 * outcomes read back from the job's output and error files. A request answered from an identical one's answer has no
 * response of its own on the responses topic: its outcome is its output line, at no cost.
 */
final class BatchDemo {

    /** What the job gave: each prompt's outcome by its demo id, and the job as the gateway reported it. */
    record Result(
            Map<String, Outcome> outcomes,
            int duplicates,
            long startMillis,
            Map<String, Long> createdAt,
            JsonNode batch) {}

    private final DemoOptions options;
    private final PrintStream err;

    BatchDemo(DemoOptions options, PrintStream err) {
        this.options = options;
        this.err = err;
    }

    Result run(
            KafkaConnection connection,
            Topics topics,
            List<ReplayItem> items,
            List<DemoItem> demoItems,
            OutcomeCollector collector,
            Path dir)
            throws Exception {
        Path file = writeInput(dir.resolve("batch-input.jsonl"), items, demoItems);
        Map<String, String> kafka = new HashMap<>(connection.properties());
        kafka.remove("bootstrap.servers");
        String key = "sk-demo-" + UUID.randomUUID();
        BatchGatewayConfig config = BatchGatewayConfig.defaults()
                .withKafka(connection.bootstrapServers(), topics.prefix(), kafka)
                .withServing(
                        "kroute-demo-batch-" + UUID.randomUUID().toString().substring(0, 8),
                        Files.createTempDirectory("kroute-demo-gateway").toString(),
                        0,
                        List.of(new BatchGatewayConfig.ApiKey("demo", "KROUTE_DEMO_KEY", "demo")));
        try (BatchGatewayApp gateway = BatchGatewayApp.start(config, Map.of("KROUTE_DEMO_KEY", key)::get)) {
            String base = "http://127.0.0.1:" + gateway.port();
            GatewayCalls calls = new GatewayCalls(base, key);
            calls.awaitHealthy(Duration.ofSeconds(120));
            long start = System.currentTimeMillis();
            JsonNode batch = calls.create(calls.upload(file), "{}");
            String batchId = batch.path("id").asText();
            log("batch " + batchId + " of " + items.size() + " requests through the gateway at " + base
                    + "/v1 (OpenAI's Batch API); waiting for it to finish (timeout " + options.timeoutSeconds()
                    + " s)");
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(options.timeoutSeconds()).toNanos();
            try (Progress progress = Progress.forStderr(
                    new java.io.PrintWriter(err, true),
                    "batch",
                    "requests",
                    DemoRun.PROGRESS_EVERY,
                    () -> items.size())) {
                while (!GatewayCalls.finished(batch) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    batch = calls.batch(batchId);
                    progress.update(GatewayCalls.done(batch), items.size(), "");
                }
            }
            if (!GatewayCalls.finished(batch)) {
                log("the batch is still " + batch.path("status").asText() + " at the timeout");
            }
            collector.drain(Duration.ofSeconds(2));
            Map<String, Outcome> seen = collector.outcomes();
            long end = System.currentTimeMillis();
            Map<String, Outcome> outcomes = new HashMap<>();
            for (JsonNode line : calls.lines(batch.path("output_file_id").asText(null))) {
                String id = line.path("custom_id").asText();
                Outcome called = seen.get(BatchFileReader.requestId(batchId, id));
                outcomes.put(id, called != null && called.answered() ? called : new Outcome(fromTwin(line), null, end));
            }
            for (JsonNode line : calls.lines(batch.path("error_file_id").asText(null))) {
                String id = line.path("custom_id").asText();
                String requestId = BatchFileReader.requestId(batchId, id);
                Outcome failed = seen.get(requestId);
                outcomes.put(
                        id,
                        failed != null && !failed.answered()
                                ? failed
                                : new Outcome(
                                        null,
                                        new DeadLetter(
                                                requestId,
                                                "",
                                                topics.prompts().name(),
                                                -1,
                                                -1,
                                                "batch-gateway",
                                                line.at("/error/code").asText() + ": "
                                                        + line.at("/error/message")
                                                                .asText(),
                                                end),
                                        end));
            }
            Map<String, Long> createdAt = new HashMap<>();
            demoItems.forEach(item -> createdAt.put(item.id(), start));
            int duplicates = collector.duplicates().values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
            return new Result(outcomes, duplicates, start, createdAt, batch);
        }
    }

    /** The report's rows about the job. */
    static String table(JsonNode batch) {
        JsonNode kroute = batch.path("kroute");
        return row(
                        "batch",
                        batch.path("id").asText() + ", " + batch.path("status").asText())
                + row(
                        "batch requests",
                        batch.at("/request_counts/total").asInt() + " total, "
                                + batch.at("/request_counts/completed").asInt() + " completed, "
                                + batch.at("/request_counts/failed").asInt() + " failed")
                + row(
                        "batch cost",
                        String.format(
                                Locale.ROOT,
                                "%.4f USD spent, %d answered from an identical request",
                                kroute.path("spent_usd").asDouble(),
                                kroute.path("cache_hits").asInt()));
    }

    /** Adds {@code batch}: the job's id, status and request counts as OpenAI returns them, its cost and cache hits. */
    static void addTo(Path file, JsonNode batch) throws IOException {
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        ObjectNode job = summary.putObject("batch");
        job.put("id", batch.path("id").asText());
        job.put("status", batch.path("status").asText());
        job.set("request_counts", batch.path("request_counts"));
        job.put("cost_usd", batch.at("/kroute/spent_usd").asDouble());
        job.put("cache_hits", batch.at("/kroute/cache_hits").asInt());
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), summary);
    }

    private static Path writeInput(Path file, List<ReplayItem> items, List<DemoItem> demoItems) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < items.size(); i++) {
                ObjectNode line = Json.MAPPER.createObjectNode();
                line.put("custom_id", demoItems.get(i).id());
                line.put("method", "POST");
                line.put("url", BatchFileReader.CHAT_COMPLETIONS);
                ObjectNode body = line.putObject("body");
                body.put("model", ReplayDataset.STRONG_MODEL);
                body.putArray("messages")
                        .addObject()
                        .put("role", "user")
                        .put("content", items.get(i).prompt());
                body.put("max_tokens", DemoRun.MAX_TOKENS);
                out.write(line.toString());
                out.write('\n');
            }
        }
        return file;
    }

    /** An output line answered from an identical request's answer: the same answer, no call, no cost. */
    private static LlmResponse fromTwin(JsonNode line) {
        JsonNode body = line.at("/response/body");
        String model = body.path("model").asText();
        return new LlmResponse(
                line.at("/response/request_id").asText(),
                "demo",
                model.equals(ReplayDataset.STRONG_MODEL) ? Tier.STRONG : Tier.WEAK,
                model,
                body.at("/choices/0/message/content").asText(),
                body.at("/choices/0/finish_reason").asText(),
                body.at("/usage/prompt_tokens").asInt(),
                body.at("/usage/completion_tokens").asInt(),
                0,
                0,
                0,
                ResponseStatus.OK,
                "",
                0,
                System.currentTimeMillis());
    }

    private static String row(String name, String value) {
        return String.format(Locale.ROOT, "| %-20s | %-58s |%n", name, value);
    }

    private void log(String message) {
        err.println("[demo] " + message);
    }
}
