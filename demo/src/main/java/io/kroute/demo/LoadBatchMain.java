package io.kroute.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.runtime.Usage;
import io.kroute.schemas.Json;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The batch gateway's load command ({@code ops/run load-batch}), on the whole pipeline (router-stream with the random
 * router, workers, replay endpoint) and a local broker, the gateway a child JVM through its deployed main:
 *
 * <ol>
 *   <li>Duplicates: one file whose lines repeat earlier lines at a given share, run without dedup, then as submitted
 *       (after a warm-up job): the calls, the spend and the time each took, and the saving.
 *   <li>Scale: a small job and a large one (default 100 and 50,000 lines) on the same gateway: how long the upload
 *       takes, how long until the job is accepted ({@code validating} to {@code in_progress}), how fast status reads
 *       answer while it runs (p50, p99), how long the download of its output takes, and the gateway's peak resident
 *       memory after each, which must not grow with the job.
 * </ol>
 *
 * <pre>
 * LoadBatchMain [--lines N] [--repeat-share R] [--scale-lines N] [--latency-ms N] [--window N] [--seed S]
 * </pre>
 */
public final class LoadBatchMain {

    static final String USAGE = "usage: load-batch [--lines N] [--repeat-share R] [--scale-lines N] [--latency-ms N]"
            + " [--window N] [--seed S]   (--scale-lines 0 skips the scale runs)";

    private static final String KEY = "sk-load-" + UUID.randomUUID();
    // a heap too small to hold a large job's lines or its output: the job streams through, or fails here
    private static final String GATEWAY_HEAP = "-Xmx128m";

    private LoadBatchMain() {}

    record DedupRun(String name, int lines, int calls, int cacheHits, double spentUsd, double wallS, int failed) {}

    record ScaleRun(
            int lines,
            double uploadS,
            double acceptS,
            double statusP50Ms,
            double statusP99Ms,
            int statusReads,
            double runS,
            double downloadS,
            long outputBytes,
            double peakRssMib) {}

    public static void main(String[] args) throws Exception {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        int lines = 2_000;
        double repeatShare = 0.3;
        int scaleLines = 50_000;
        int latencyMs = 200;
        int window = 1_000;
        long seed = 7;
        try {
            for (int i = 0; i < args.length; i += 2) {
                DemoOptions.checkValued(
                        args,
                        i,
                        java.util.Set.of(
                                "--lines", "--repeat-share", "--scale-lines", "--latency-ms", "--window", "--seed"));
                String flag = args[i];
                String value = args[i + 1];
                switch (flag) {
                    case "--lines" -> lines = DemoOptions.intIn(flag, value, 1, 50_000);
                    case "--repeat-share" -> repeatShare = share(flag, value);
                    case "--scale-lines" -> scaleLines = DemoOptions.intIn(flag, value, 0, 50_000);
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
        Random random = new Random(seed);
        Path file = writeFile(dir.resolve("input.jsonl"), pool, lines, distinct, random);
        Path warmUp = writeFile(dir.resolve("warm-up.jsonl"), pool, Math.min(200, lines), Math.min(200, lines), random);

        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.withPrefix("load-batch-");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicProvisioner.createAll(admin, topics, 4, (short) 1);
            }
            log("broker " + bootstrap + ", replay latency " + latencyMs + " ms, window " + window
                    + " per job, random router; the gateway is a child JVM (" + GATEWAY_HEAP + ")");
            List<DedupRun> dedup = new ArrayList<>();
            List<ScaleRun> scale = new ArrayList<>();
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
                    seed)) {
                // one gateway process for every run, as a deployment serves jobs of every size: its peak resident
                // memory is read after the small job and again after the large one
                try (ComponentProcess gateway = gateway(bootstrap, topics, window, dir, "gateway")) {
                    GatewayCalls calls = calls(gateway);
                    log(lines + " lines, " + distinct + " distinct (" + pct(repeatShare) + " repeats)");
                    // a warm-up job first (JIT, connections, the topics' first fetches), not reported; then without
                    // dedup: with it first, the second run would be answered from the first run's answers
                    dedupRun("warm-up", calls, warmUp, Math.min(200, lines), "{\"kroute_dedup\":\"false\"}");
                    dedup.add(dedupRun("dedup off", calls, file, lines, "{\"kroute_dedup\":\"false\"}"));
                    dedup.add(dedupRun("dedup on", calls, file, lines, "{}"));
                    if (scaleLines > 0) {
                        for (int size : new int[] {Math.min(100, scaleLines), scaleLines / 10, scaleLines}) {
                            Path big = writeFile(dir.resolve("scale-" + size + ".jsonl"), pool, size, -1, random);
                            scale.add(scaleRun(gateway, calls, big, size));
                        }
                    }
                }
            }
            printDedup(dedup, lines, distinct);
            printScale(scale);
        }
    }

    private static ComponentProcess gateway(String bootstrap, Topics topics, int window, Path dir, String name)
            throws Exception {
        BatchGatewayConfig config = BatchGatewayConfig.defaults()
                .withKafka(bootstrap, topics.prefix(), Map.of())
                .withServing(
                        "kroute-" + name + "-" + UUID.randomUUID().toString().substring(0, 8),
                        dir.resolve(name).toString(),
                        freePort(),
                        List.of(new BatchGatewayConfig.ApiKey("load", "LOAD_KEY", "")))
                .withMaxInFlightPerJob(window);
        // the whole heap resident from the start: the memory a job adds is then what it adds outside the heap
        List<String> jvm = new ArrayList<>(List.of(GATEWAY_HEAP, "-Xms128m", "-XX:+AlwaysPreTouch"));
        // more JVM options for the gateway, e.g. -XX:NativeMemoryTracking=summary to see where its memory goes
        String extra = System.getenv("KROUTE_LOAD_GATEWAY_OPTS");
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        ComponentProcess gateway = ComponentProcess.batchGateway(
                config,
                dir,
                name,
                // RocksDB allocates through glibc, whose per-thread arenas keep freed memory: two arenas, as Kafka
                // Streams deployments are advised to run
                Map.of("LOAD_KEY", KEY, "MALLOC_ARENA_MAX", "2"),
                jvm.toArray(String[]::new));
        gateway.awaitHealthy(Duration.ofSeconds(120));
        return gateway;
    }

    private static GatewayCalls calls(ComponentProcess gateway) {
        return new GatewayCalls("http://127.0.0.1:" + gateway.opsPort(), KEY);
    }

    private static DedupRun dedupRun(String name, GatewayCalls calls, Path file, int lines, String metadata)
            throws Exception {
        long start = System.nanoTime();
        String batchId = calls.create(calls.upload(file), metadata).path("id").asText();
        JsonNode batch = awaitFinished(name, calls, batchId, lines, null);
        double wall = (System.nanoTime() - start) / 1e9;
        JsonNode kroute = batch.path("kroute");
        return new DedupRun(
                name,
                lines,
                kroute.path("strong").asInt() + kroute.path("weak").asInt(),
                kroute.path("cache_hits").asInt(),
                kroute.path("spent_usd").asDouble(),
                wall,
                batch.at("/request_counts/failed").asInt());
    }

    private static ScaleRun scaleRun(ComponentProcess gateway, GatewayCalls calls, Path file, int lines)
            throws Exception {
        long start = System.nanoTime();
        String fileId = calls.upload(file);
        double upload = (System.nanoTime() - start) / 1e9;
        long created = System.nanoTime();
        // the create call answers once the job is in_progress: its time is the acceptance time
        JsonNode batch = calls.create(fileId, "{\"kroute_dedup\":\"false\"}");
        double accept = (System.nanoTime() - created) / 1e9;
        String batchId = batch.path("id").asText();
        List<Double> reads = new ArrayList<>();
        long running = System.nanoTime();
        batch = awaitFinished(lines + " lines", calls, batchId, lines, reads);
        double run = (System.nanoTime() - running) / 1e9;
        long downloading = System.nanoTime();
        long bytes = calls.download(batch.path("output_file_id").asText());
        double download = (System.nanoTime() - downloading) / 1e9;
        double[] sorted =
                reads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new ScaleRun(
                lines,
                upload,
                accept,
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                sorted.length,
                run,
                download,
                bytes,
                ProcessMemory.peakResidentMib(gateway.pid()));
    }

    /** Polls the job until it ends; {@code reads}, when given, gets each status read's latency in ms. */
    private static JsonNode awaitFinished(
            String name, GatewayCalls calls, String batchId, int lines, List<Double> reads) throws Exception {
        long lastLog = System.nanoTime();
        while (true) {
            long before = System.nanoTime();
            JsonNode batch = calls.batch(batchId);
            if (reads != null) {
                reads.add((System.nanoTime() - before) / 1e6);
            }
            if (GatewayCalls.finished(batch)) {
                return batch;
            }
            if (System.nanoTime() - lastLog > 5_000_000_000L) {
                lastLog = System.nanoTime();
                log(name + ": " + GatewayCalls.done(batch) + "/" + lines + " done");
            }
            Thread.sleep(reads == null ? 250 : 50);
        }
    }

    /**
     * {@code lines} chat lines; the first {@code distinct} prompts of the pool once each and the rest repeats of them,
     * shuffled; {@code distinct} -1 cycles the whole pool (each line its own request: dedup is off for these).
     */
    private static Path writeFile(Path file, List<ReplayItem> pool, int lines, int distinct, Random random)
            throws IOException {
        List<String> out = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            String prompt;
            if (distinct < 0) {
                prompt = pool.get(i % pool.size()).prompt();
            } else {
                prompt = i < distinct
                        ? pool.get(i).prompt()
                        : pool.get(random.nextInt(distinct)).prompt();
            }
            ObjectNode line = Json.MAPPER.createObjectNode();
            line.put("custom_id", "line-" + i);
            line.put("method", "POST");
            line.put("url", "/v1/chat/completions");
            ObjectNode body = line.putObject("body");
            body.put("model", "gpt-4-1106-preview");
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
            body.put("max_tokens", 1024);
            out.add(line.toString());
        }
        Collections.shuffle(out, random);
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            for (String line : out) {
                writer.write(line);
                writer.write('\n');
            }
        }
        return file;
    }

    private static void printDedup(List<DedupRun> runs, int lines, int distinct) {
        System.out.printf(
                Locale.ROOT,
                "%n| run | lines | provider calls | answered from a twin | failed | spent (USD) |"
                        + " wall (s) | lines/s |%n|---|---|---|---|---|---|---|---|%n");
        for (DedupRun r : runs) {
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
        DedupRun off = runs.get(0);
        DedupRun on = runs.get(1);
        System.out.printf(
                Locale.ROOT,
                "%nrepeats in the file: %d of %d lines; dedup saved %s of the calls and %s of the spend%n",
                lines - distinct,
                lines,
                pct(1 - (double) on.calls() / off.calls()),
                pct(1 - on.spentUsd() / off.spentUsd()));
    }

    private static void printScale(List<ScaleRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%n| job lines | upload (s) | accepted (s) | status reads | status p50 (ms) |"
                        + " status p99 (ms) | run (s) | output (MB) | download (s) | gateway peak RSS (MiB) |%n"
                        + "|---|---|---|---|---|---|---|---|---|---|%n");
        for (ScaleRun r : runs) {
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %.2f | %.2f | %d | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f |%n",
                    r.lines(),
                    r.uploadS(),
                    r.acceptS(),
                    r.statusReads(),
                    r.statusP50Ms(),
                    r.statusP99Ms(),
                    r.runS(),
                    r.outputBytes() / 1e6,
                    r.downloadS(),
                    r.peakRssMib());
        }
        System.out.printf(
                Locale.ROOT,
                "%n(accepted: the create call, which answers once the job is in_progress;"
                        + " status reads every 50 ms while the job runs; peak RSS: the high-water mark of the gateway"
                        + " JVM after the job: one JVM for every run, its heap fixed at "
                        + GATEWAY_HEAP.substring("-Xmx".length())
                        + " and resident from the start, so what grows is outside the heap)%n");
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double share(String flag, String value) {
        double share;
        try {
            share = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            share = Double.NaN;
        }
        if (!(share >= 0 && share <= 0.95)) {
            throw new IllegalArgumentException(flag + " must be a number from 0 to 0.95, got '" + value + "'");
        }
        return share;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static void log(String message) {
        System.err.println("[load-batch] " + message);
    }
}
