package io.kroute.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.progress.Progress;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.router.data.DemoHoldout;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.stream.RoutingPolicy;
import io.kroute.stream.TrafficCalibration;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/** One run of the demo: broker, topics, pipeline, prompts in, outcomes out, report. */
final class DemoRun {

    static final int MAX_TOKENS = 1024;
    /** In a log, a progress line this often (on a terminal, a live bar). */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private static final int PARTITIONS = 4;
    private static final int DEMO_WINDOW = 200;
    private static final int DEMO_WARMUP = 25;

    private final DemoOptions options;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    /** With --via-batch-api: the job as the gateway reported it at the end. */
    private JsonNode batchReport;

    DemoRun(DemoOptions options) {
        this.options = options;
    }

    int run() throws Exception {
        ReplayDataset dataset = ReplayDataset.loadBundled();
        List<ReplayItem> items = pick(dataset.items(options.benchmark()));
        RouterLoader.load(options.router()).close(); // a bad reference is refused before a broker starts
        List<DemoItem> demoItems = describe(dataset, items);
        DemoOptions.Scale scale = options.scale();

        LocalKafkaCluster cluster = null;
        KafkaConnection connection;
        try {
            if (options.bootstrapServers() == null) {
                log("starting a local KRaft cluster of " + scale.brokers() + " node(s) (child JVMs, 127.0.0.1) ...");
                cluster = LocalKafkaCluster.start(scale.brokers(), 0, Duration.ofSeconds(120));
                connection = KafkaConnection.to(cluster.bootstrapServers());
                log("cluster ready at " + connection.bootstrapServers() + " (logs: " + cluster.directory() + ")");
            } else {
                connection = KafkaConnection.withCommandConfig(options.bootstrapServers(), options.commandConfig());
                BrokerCheck.require(connection.clientConfig(), BrokerCheck.DEFAULT_TIMEOUT);
            }
            // Our own cluster gets the plain names; on a shared one, a run's topics must not mix with others'.
            Topics topics = cluster != null
                    ? Topics.DEFAULT
                    : Topics.withPrefix("demo-" + UUID.randomUUID().toString().substring(0, 8) + "-");
            try (Admin admin = Admin.create(connection.clientConfig())) {
                TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) Math.min(3, scale.brokers()));
            }
            log("topics: " + topics.prompts().name() + " -> "
                    + topics.strongQueue().name() + " | "
                    + topics.weakQueue().name() + " -> " + topics.responses().name() + ", dead letters: "
                    + topics.deadLetters().name());
            DemoSummary summary;
            ResilienceReport resilience;
            DeploymentReport deployment;
            if (scale.inChildProcesses()) {
                Path dir = Files.createDirectories(
                        options.out().toAbsolutePath().getParent().resolve("instances"));
                // What the router-stream instances compute from the same settings, for the report.
                RoutingPolicy policy = Pipeline.streamSettings(connection, topics, routing())
                        .policy(RouterLoader.load(options.router()));
                try (ScaledPipeline pipeline = ScaledPipeline.start(
                                connection,
                                topics,
                                dataset,
                                routing(),
                                scale.routerInstances(),
                                scale.workerInstances(),
                                options.latencyMs(),
                                options.faults(),
                                options.seed(),
                                dir);
                        OutcomeCollector collector = new OutcomeCollector(connection, topics)) {
                    describePolicy(policy);
                    log("pipeline running: " + pipeline.describe());
                    int total = items.size() + options.malformed();
                    ChaosSchedule chaos =
                            new ChaosSchedule(pipeline, cluster, collector::count, collector::routedBy, total);
                    try {
                        if (scale.chaos()) {
                            chaos.start();
                        }
                        summary = send(connection, topics, items, demoItems, collector, policy);
                    } finally {
                        chaos.close();
                    }
                    resilience = ResilienceReport.of(pipeline);
                    deployment = DeploymentReport.of(scale.brokers(), collector, chaos.events());
                }
            } else {
                try (Pipeline pipeline = Pipeline.start(
                                connection,
                                topics,
                                dataset,
                                routing(),
                                options.latencyMs(),
                                options.faults(),
                                options.seed());
                        OutcomeCollector collector = new OutcomeCollector(connection, topics)) {
                    RoutingPolicy policy = pipeline.stream().policy();
                    describePolicy(policy);
                    log("pipeline running: replay providers " + pipeline.replayBaseUrl() + " (latency "
                            + options.latencyMs() + " ms"
                            + (options.faults().any() ? ", faults " + describe(options.faults()) : "")
                            + "), router-stream (metrics http://127.0.0.1:"
                            + pipeline.stream().metricsPort()
                            + "/metrics), workers (http://127.0.0.1:"
                            + pipeline.workers().metricsPort() + "/metrics)");
                    summary = send(connection, topics, items, demoItems, collector, policy);
                    resilience = ResilienceReport.of(pipeline);
                    deployment = DeploymentReport.of(scale.brokers(), collector, List.of());
                }
            }
            out.println();
            out.print(summary.table());
            out.print(resilience.table(summary.fallbacks()));
            out.print(deployment.table());
            summary.writeJson(options.out());
            resilience.addTo(options.out());
            deployment.addTo(options.out());
            if (batchReport != null) {
                out.print(BatchDemo.table(batchReport));
                BatchDemo.addTo(options.out(), batchReport);
            }
            ReplayCosts costs = new ReplayCosts(dataset);
            double allWeak = items.stream()
                    .mapToDouble(item -> costs.costUsd(ReplayDataset.WEAK_MODEL, item))
                    .sum();
            Path plot = options.out().toAbsolutePath().resolveSibling("cost-quality");
            CostQualityPlot.write(plot, summary, allWeak);
            Path html = options.out().toAbsolutePath().resolveSibling("report.html");
            DemoReport.write(html, options, summary, Path.of(plot + ".svg"));
            out.println("summary written to " + options.out() + "; the cost and quality plot to " + plot
                    + ".png (.svg);" + " the report to " + html);
            if (!summary.allAccountedFor() || summary.duplicates() > 0) {
                err.println("demo: " + summary.unaccounted() + " prompt(s) unaccounted for, " + summary.duplicates()
                        + " with more than one outcome");
                return 1;
            }
            return 0;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private void describePolicy(RoutingPolicy policy) {
        Router router = policy.router();
        log("router " + router.info().kind() + " " + router.info().version() + ", threshold "
                + String.format(Locale.ROOT, "%.4f", policy.threshold()) + " for " + options.strongPct()
                + "% strong calls"
                + (policy.trafficCalibration() == null
                        ? " (from the router's calibration sample)"
                        : ", then from " + describe(policy.trafficCalibration())));
    }

    private DemoSummary send(
            KafkaConnection connection,
            Topics topics,
            List<ReplayItem> items,
            List<DemoItem> demoItems,
            OutcomeCollector collector,
            RoutingPolicy policy)
            throws Exception {
        if (!options.viaBatchApi()) {
            return sendAndCollect(connection, topics, items, demoItems, collector, policy);
        }
        BatchDemo.Result result = new BatchDemo(options, err)
                .run(
                        connection,
                        topics,
                        items,
                        demoItems,
                        collector,
                        Files.createDirectories(options.out().toAbsolutePath().getParent()));
        batchReport = result.batch();
        Router router = policy.router();
        return DemoSummary.compute(
                demoItems,
                0,
                result.outcomes(),
                result.duplicates(),
                result.startMillis(),
                result.createdAt(),
                router.info().kind(),
                router.info().version(),
                policy.threshold(),
                policy.trafficCalibration() == null ? "card" : describe(policy.trafficCalibration()),
                options.benchmark(),
                options.strongPct());
    }

    private DemoSummary sendAndCollect(
            KafkaConnection connection,
            Topics topics,
            List<ReplayItem> items,
            List<DemoItem> demoItems,
            OutcomeCollector collector,
            RoutingPolicy policy)
            throws InterruptedException {
        Router router = policy.router();
        double threshold = policy.threshold();
        Map<String, Long> createdAt = new HashMap<>();
        Set<String> expected = new LinkedHashSet<>();
        long start = System.currentTimeMillis();
        try (PromptProducer producer =
                new PromptProducer(connection, topics.prompts().name())) {
            for (int i = 0; i < items.size(); i++) {
                ReplayItem item = items.get(i);
                long now = System.currentTimeMillis();
                PromptRequest request = new PromptRequest(
                        demoItems.get(i).id(),
                        "demo",
                        List.of(ChatMessage.user(item.prompt())),
                        MAX_TOKENS,
                        Map.of("benchmark", item.benchmark(), "item", item.id()),
                        null,
                        now);
                producer.send(request);
                createdAt.put(request.id(), now);
                expected.add(request.id());
            }
            for (int i = 0; i < options.malformed(); i++) {
                String id = "malformed-" + i;
                producer.sendRaw(id, malformed(i).getBytes(StandardCharsets.UTF_8));
                expected.add(id);
            }
            producer.flush();
        }
        log("sent " + items.size() + " prompts"
                + (options.malformed() > 0 ? " and " + options.malformed() + " malformed records" : "")
                + "; waiting for every outcome (timeout " + options.timeoutSeconds()
                + " s)");
        List<String> missing;
        try (Progress progress = Progress.forStderr(
                new java.io.PrintWriter(err, true), "demo", "outcomes", PROGRESS_EVERY, () -> expected.size())) {
            missing = collector.awaitAll(
                    expected,
                    Duration.ofSeconds(options.timeoutSeconds()),
                    done -> progress.update(done, expected.size(), ""));
        }
        if (!missing.isEmpty()) {
            log(missing.size() + " without an outcome, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
        collector.drain(Duration.ofSeconds(1));
        int duplicates = collector.duplicates().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        return DemoSummary.compute(
                demoItems,
                options.malformed(),
                collector.outcomes(),
                duplicates,
                start,
                createdAt,
                router.info().kind(),
                router.info().version(),
                threshold,
                policy.trafficCalibration() == null ? "card" : describe(policy.trafficCalibration()),
                options.benchmark(),
                options.strongPct());
    }

    /**
     * What this run sets on top of the reference router-stream file: the router, the share, and where its threshold
     * comes from (the card's, or with --calibration traffic each partition's recent scores once it has seen enough).
     */
    private Map<String, String> routing() {
        Map<String, String> routing = new HashMap<>();
        routing.put(RouterStreamSettings.ROUTER, options.router());
        routing.put(RouterStreamSettings.STRONG_SHARE, Double.toString(options.strongPct() / 100.0));
        routing.put(RouterStreamSettings.THRESHOLD, null);
        routing.put(RouterStreamSettings.CALIBRATION, options.calibration());
        if (options.calibration().equals("traffic")) {
            // A demo run is a few hundred prompts over 4 partitions: a smaller window and warm-up than the stream's
            // defaults, so that most decisions come from the window.
            routing.put(RouterStreamSettings.CALIBRATION_WINDOW, Integer.toString(DEMO_WINDOW));
            routing.put(RouterStreamSettings.CALIBRATION_WARMUP, Integer.toString(DEMO_WARMUP));
        }
        return routing;
    }

    private static String describe(TrafficCalibration traffic) {
        return "traffic (last " + traffic.window() + " per partition, warm-up " + traffic.warmup() + ")";
    }

    private static String describe(DemoFaults faults) {
        var rates = faults.rates();
        return String.format(
                        Locale.ROOT,
                        "500=%.2f 503=%.2f 429=%.2f timeout=%.2f drop=%.2f",
                        rates.serverError(),
                        rates.unavailable(),
                        rates.rateLimited(),
                        rates.timeout(),
                        rates.dropped())
                + (faults.outage() == null
                        ? ""
                        : " outage=" + faults.outageTier().wireName() + ":"
                                + faults.outage().durationMs() / 1000.0 + "s@"
                                + faults.outage().startMs() / 1000.0 + "s");
    }

    /**
     * The run's prompts: a shuffled draw from the benchmark's prompts kept out of the shipped routers' training
     * ({@link DemoHoldout}: about 520 of GSM8K, 1,400 of MMLU); past their number (a 10,000-prompt chaos run)
     * the draw repeats, each repeat a request of its own.
     */
    private List<ReplayItem> pick(List<ReplayItem> all) {
        // Only prompts no shipped router was trained on: the report's quality, PGR and savings are out of sample.
        List<ReplayItem> shuffled = new ArrayList<>(all.stream()
                .filter(item -> DemoHoldout.reserved(item.benchmark(), item.prompt()))
                .toList());
        Collections.shuffle(shuffled, new Random(options.seed()));
        List<ReplayItem> picked = new ArrayList<>(options.prompts());
        for (int i = 0; i < options.prompts(); i++) {
            picked.add(shuffled.get(i % shuffled.size()));
        }
        return picked;
    }

    /** What each prompt would cost on the strong model: the replay's own usage accounting times the price table. */
    private static List<DemoItem> describe(ReplayDataset dataset, List<ReplayItem> items) {
        ReplayCosts costs = new ReplayCosts(dataset);
        List<DemoItem> described = new ArrayList<>(items.size());
        Map<String, Integer> seen = new HashMap<>();
        for (ReplayItem item : items) {
            String id = item.benchmark() + "-" + item.id();
            int repeat = seen.merge(id, 1, Integer::sum);
            described.add(new DemoItem(
                    repeat == 1 ? id : id + "-r" + repeat,
                    correct(item, ReplayDataset.STRONG_MODEL),
                    correct(item, ReplayDataset.WEAK_MODEL),
                    costs.costUsd(ReplayDataset.STRONG_MODEL, item)));
        }
        return described;
    }

    private static boolean correct(ReplayItem item, String model) {
        return item.answer(model)
                .orElseThrow(() -> new IllegalStateException("no recorded answer of " + model + " for " + item.id()))
                .correct();
    }

    /** Four kinds of bad record: not JSON, schema violation, empty prompt, empty value. */
    static String malformed(int i) {
        return switch (i % 4) {
            case 0 -> "{\"id\": \"malformed-" + i + "\", \"messages\": [";
            case 1 -> "{\"id\":\"malformed-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + "\"max_tokens\":\"lots\"}";
            case 2 -> "{\"id\":\"malformed-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"  \"}]}";
            default -> "";
        };
    }

    private void log(String message) {
        err.println("[demo] " + message);
    }
}
