package io.kroute.demo;

import io.kroute.progress.Progress;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.router.data.DemoHoldout;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Topics;
import io.kroute.stream.ManyModelSettings;
import io.kroute.stream.ModelQueue;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.workers.CircuitBreakerSettings;
import io.kroute.workers.TierConfig;
import io.kroute.workers.WorkerApp;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ops/demo.sh --benchmark arena --models all}: Routoo end to end. The router-stream and the workers start
 * through their Apps from the many-model reference files a user deploys ({@code etc/router-stream-arena.properties},
 * {@code etc/llm-workers-arena.yaml}), restricted to the models asked for; one replay endpoint answers as every model
 * with its recorded answers. The Arena prompts the shipped predictor never saw go through; the report gives, per
 * model, the calls, cost and judge score the run got, beside what each single model would have cost and scored on the
 * same prompts. Exit 0 when every prompt has exactly one outcome.
 */
final class ManyModelDemo {

    /** Arena answers run long (GPT-4-1106's average 810 tokens): a limit that cuts few of them. */
    static final int MAX_TOKENS = 4096;

    private static final int PARTITIONS = 4;

    private final DemoOptions options;
    private final PrintStream err = System.err;

    ManyModelDemo(DemoOptions options) {
        this.options = options;
    }

    int run() throws Exception {
        ReplayDataset dataset = ReplayDataset.loadBundled();
        Properties reference = PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM_ARENA));
        List<ModelQueue> all =
                RouterStreamSettings.fromProperties(reference).manyModels().queues();
        List<ModelQueue> queues = chosen(all, options.models());
        List<ReplayItem> items = pick(dataset.items(ReplayDataset.ARENA));
        WorkerConfig workersReference = WorkerConfigLoader.load(ReferenceConfig.file(ReferenceConfig.WORKERS_ARENA));

        LocalKafkaCluster cluster = null;
        Vertx vertx = Vertx.vertx();
        try {
            KafkaConnection connection;
            if (options.bootstrapServers() == null) {
                log("starting a local KRaft cluster (child JVM, 127.0.0.1) ...");
                cluster = LocalKafkaCluster.start(1, 0, Duration.ofSeconds(120));
                connection = KafkaConnection.to(cluster.bootstrapServers());
            } else {
                connection = KafkaConnection.withCommandConfig(options.bootstrapServers(), options.commandConfig());
                BrokerCheck.require(connection.clientConfig(), BrokerCheck.DEFAULT_TIMEOUT);
            }
            Topics topics = cluster != null
                    ? Topics.DEFAULT
                    : Topics.withPrefix("demo-" + UUID.randomUUID().toString().substring(0, 8) + "-");
            List<String> names = queues.stream().map(ModelQueue::queue).toList();
            // the models' queue topics are the router-stream's to create, as in a deployment
            try (Admin admin = Admin.create(connection.clientConfig())) {
                TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1);
            }
            ReplayServer replay = ReplayServer.deploy(
                            vertx, dataset, ReplayServerOptions.defaults().withLatency(options.latencyMs(), 0))
                    .await(30, TimeUnit.SECONDS);
            log("replay endpoint " + replay.baseUrl() + " answers as " + queues.size() + " models; queues "
                    + String.join(
                            ", ",
                            names.stream().map(n -> topics.queue(n).name()).toList()));
            try (RouterStreamApp stream =
                    RouterStreamApp.start(streamSettings(reference, connection, topics, all, queues))) {
                WorkerApp workers = WorkerApp.start(
                                vertx, workerConfig(workersReference, connection, topics, queues, replay.baseUrl()))
                        .await(120, TimeUnit.SECONDS);
                try (OutcomeCollector collector = new OutcomeCollector(connection, topics)) {
                    if (!stream.awaitRunning(Duration.ofSeconds(60))) {
                        throw new IllegalStateException("router-stream did not reach RUNNING: " + stream.state());
                    }
                    log("router-stream: predictor " + stream.servedVersion() + ", selector "
                            + stream.policy().selection().selector());
                    Map<String, ReplayItem> byId = send(connection, topics, items);
                    List<String> missing = await(collector, byId.keySet());
                    collector.drain(Duration.ofSeconds(1));
                    ManyModelSummary summary = ManyModelSummary.compute(
                            dataset,
                            byId,
                            collector.outcomes(),
                            collector.duplicates(),
                            queues,
                            workersReference.prices(),
                            MAX_TOKENS,
                            stream.servedVersion(),
                            stream.policy().selection().selector().toString());
                    summary.print(System.out);
                    Path out = options.out();
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    summary.write(out);
                    summary.plot(out.resolveSibling("cost-quality.png"));
                    summary.html(
                            out.resolveSibling("report.html"),
                            "ops/demo.sh --benchmark arena --models " + options.models()
                                    + (options.targetCostUsd() == null
                                            ? ""
                                            : " --target-cost-usd " + options.targetCostUsd())
                                    + " --prompts " + options.prompts() + " --seed " + options.seed(),
                            out.resolveSibling("cost-quality.svg"));
                    log("wrote " + out + ", report.html and cost-quality.png/.svg beside it");
                    boolean exactlyOnce = missing.isEmpty() && summary.duplicates() == 0;
                    if (!exactlyOnce) {
                        log(missing.size() + " prompts without an outcome, " + summary.duplicates()
                                + " with more than one");
                    }
                    return exactlyOnce ? 0 : 1;
                } finally {
                    workers.stop().await(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** {@code all}, or the models named (by model or queue name), in the reference file's order. */
    static List<ModelQueue> chosen(List<ModelQueue> all, String spec) {
        if (spec.equals("all")) {
            return all;
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String name : spec.split(",")) {
            asked.add(name.strip());
        }
        List<ModelQueue> out = new ArrayList<>();
        for (ModelQueue q : all) {
            if (asked.remove(q.model()) | asked.remove(q.queue())) {
                out.add(q);
            }
        }
        if (!asked.isEmpty()) {
            throw new IllegalArgumentException(
                    "--models: unknown model(s) " + asked + "; " + ReferenceConfig.ROUTER_STREAM_ARENA + " has "
                            + all.stream().map(ModelQueue::model).toList());
        }
        if (out.size() < 2) {
            throw new IllegalArgumentException("--models needs at least two models, or all");
        }
        return out;
    }

    /** The held-out Arena prompts (DemoHoldout), shuffled by the seed, at most --prompts of them. */
    private List<ReplayItem> pick(List<ReplayItem> arena) {
        List<ReplayItem> held = new ArrayList<>();
        for (ReplayItem item : arena) {
            if (DemoHoldout.reserved(DemoHoldout.MANY_MODELS, item.prompt())) {
                held.add(item);
            }
        }
        Collections.shuffle(held, new Random(options.seed()));
        return held.subList(0, Math.min(options.prompts(), held.size()));
    }

    /**
     * The reference file pointed at this cluster and these topics, with a fresh application id and state directory,
     * the ops endpoint on a free port, and only the chosen models (the others' keys removed).
     */
    private RouterStreamSettings streamSettings(
            Properties reference,
            KafkaConnection connection,
            Topics topics,
            List<ModelQueue> all,
            List<ModelQueue> queues) {
        Map<String, String> overrides = new HashMap<>(connection.properties());
        overrides.put("application.id", "kroute-router-arena-" + UUID.randomUUID());
        overrides.put("state.dir", Pipeline.tempDir("kroute-streams"));
        overrides.put(RouterStreamSettings.TOPIC_PREFIX, topics.prefix());
        overrides.put(RouterStreamSettings.METRICS_PORT, "0");
        overrides.put(
                ManyModelSettings.MODELS,
                String.join(",", queues.stream().map(ModelQueue::queue).toList()));
        for (ModelQueue q : all) {
            if (!queues.contains(q)) {
                for (String suffix : ManyModelSettings.MODEL_SUFFIXES) {
                    overrides.put("kroute.model." + q.queue() + "." + suffix, null);
                }
            }
        }
        if (options.targetCostUsd() != null) {
            overrides.put(ManyModelSettings.TARGET_COST, Double.toString(options.targetCostUsd()));
        }
        return RouterStreamSettings.withOverrides(reference, overrides);
    }

    /**
     * The reference workers file pointed at this cluster, these topics and the local replay endpoint, with only the
     * chosen queues (a fallback to a queue not chosen becomes none), short time limits and retries for a local
     * endpoint, and no API key: a real provider key must never reach the replay endpoint.
     */
    private static WorkerConfig workerConfig(
            WorkerConfig reference, KafkaConnection connection, Topics topics, List<ModelQueue> queues, String url) {
        Set<String> names =
                new LinkedHashSet<>(queues.stream().map(ModelQueue::queue).toList());
        Map<String, TierConfig> chosen = new LinkedHashMap<>();
        for (String name : names) {
            TierConfig q = reference.queue(name);
            String fallback = names.contains(q.fallback()) ? q.fallback() : TierConfig.NO_FALLBACK;
            chosen.put(
                    name,
                    q.withBaseUrl(url)
                            .withApiKeyEnv(null)
                            .withFallback(fallback)
                            .withRequestTimeoutMs(10_000)
                            .withRetries(5, 200, 2_000)
                            .withCircuitBreaker(new CircuitBreakerSettings(60, 50, 20, 5_000)));
        }
        WorkerConfig config = reference.withBootstrapServers(connection.bootstrapServers());
        for (Map.Entry<String, String> setting : connection.properties().entrySet()) {
            if (!setting.getKey().equals("bootstrap.servers")) {
                config = config.withKafkaProperty(setting.getKey(), setting.getValue());
            }
        }
        return config.withTopicPrefix(topics.prefix())
                .withGroupId("kroute-workers-arena-" + UUID.randomUUID())
                .withCommitIntervalMs(200)
                .withMetricsPort(0)
                .withQueues(chosen);
    }

    private Map<String, ReplayItem> send(KafkaConnection connection, Topics topics, List<ReplayItem> items) {
        Map<String, ReplayItem> byId = new LinkedHashMap<>();
        try (PromptProducer producer =
                new PromptProducer(connection, topics.prompts().name())) {
            for (ReplayItem item : items) {
                String id = "arena-demo-" + item.id();
                producer.send(new PromptRequest(
                        id,
                        "demo",
                        List.of(ChatMessage.user(item.prompt())),
                        MAX_TOKENS,
                        Map.of("benchmark", item.benchmark(), "item", item.id()),
                        null,
                        System.currentTimeMillis()));
                byId.put(id, item);
            }
            producer.flush();
        }
        log("sent " + items.size() + " held-out Arena prompts; waiting for every outcome (timeout "
                + options.timeoutSeconds() + " s)");
        return byId;
    }

    private List<String> await(OutcomeCollector collector, Set<String> ids) throws InterruptedException {
        try (Progress progress = Progress.forStderr(
                new java.io.PrintWriter(err, true), "demo", "outcomes", DemoRun.PROGRESS_EVERY, () -> ids.size())) {
            return collector.awaitAll(
                    ids, Duration.ofSeconds(options.timeoutSeconds()), done -> progress.update(done, ids.size(), ""));
        }
    }

    private void log(String message) {
        err.println("[demo] " + message);
    }
}
