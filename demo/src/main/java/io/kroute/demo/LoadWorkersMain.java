package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.runtime.Usage;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.workers.TierConfig;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The workers' load command ({@code ops/load-workers.sh}): one worker process (a child JVM running WorkerMain) against
 * a replay endpoint with a fixed latency and no faults, on a local broker. Two runs: without a rate limit, then with
 * {@code requests_per_second: R}. Prints a table of what was measured: the most calls the provider saw at once, the
 * responses per second and the provider's calls per second over the steady part of each run (from the 10th to the
 * 90th percentile of outcomes), and the latency the responses report (from the worker taking the record to the
 * answer, so it includes waiting for a rate-limit permit).
 *
 * <pre>
 * LoadWorkersMain [--prompts N] [--latency-ms N] [--max-in-flight N] [--rate R] [--rate-prompts N]
 * </pre>
 */
public final class LoadWorkersMain {

    static final String USAGE =
            "usage: ops/load-workers.sh [--prompts N] [--latency-ms N] [--max-in-flight N] [--rate R] [--rate-prompts N]";

    private LoadWorkersMain() {}

    record Run(
            String name,
            int prompts,
            int maxConcurrentAtProvider,
            double responsesPerS,
            double providerCallsPerS,
            double latencyP50Ms,
            double latencyP99Ms,
            double wallS,
            int duplicates,
            int missing) {}

    public static void main(String[] args) throws Exception {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        int prompts = 30_000;
        int latencyMs = 1_000;
        int maxInFlight = 2_000;
        int rate = 200;
        int ratePrompts = 12_000;
        try {
            for (int i = 0; i < args.length; i += 2) {
                DemoOptions.checkValued(
                        args,
                        i,
                        java.util.Set.of("--prompts", "--latency-ms", "--max-in-flight", "--rate", "--rate-prompts"));
                String flag = args[i];
                String value = args[i + 1];
                switch (flag) {
                    case "--prompts" -> prompts = DemoOptions.intIn(flag, value, 1, Integer.MAX_VALUE);
                    case "--latency-ms" -> latencyMs = DemoOptions.intIn(flag, value, 0, 600_000);
                    case "--max-in-flight" -> maxInFlight = DemoOptions.intIn(flag, value, 1, Integer.MAX_VALUE);
                    case "--rate" -> rate = DemoOptions.intIn(flag, value, 1, Integer.MAX_VALUE);
                    case "--rate-prompts" -> ratePrompts = DemoOptions.intIn(flag, value, 1, Integer.MAX_VALUE);
                    default -> throw new IllegalArgumentException("unknown option " + flag + "; " + USAGE);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("load-workers: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("kroute-load-");
        Vertx vertx = Vertx.vertx();
        List<Run> runs = new ArrayList<>();
        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            ReplayServer provider = ReplayServer.deploy(
                            vertx,
                            ReplayDataset.loadBundled(),
                            ReplayServerOptions.defaults().withLatency(latencyMs, 0))
                    .await(30, TimeUnit.SECONDS);
            log("broker " + broker.bootstrapServers() + ", replay provider " + provider.baseUrl() + " (latency "
                    + latencyMs + " ms), worker logs in " + dir);
            runs.add(run(broker, provider, dir, "no limit", prompts, maxInFlight, 0));
            runs.add(run(broker, provider, dir, "limit " + rate + "/s", ratePrompts, maxInFlight, rate));
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "| %-12s | %7s | %12s | %11s | %13s | %11s | %11s | %7s | %5s |%n",
                "run",
                "prompts",
                "max in flight",
                "responses/s",
                "provider calls/s",
                "resp p50 ms",
                "resp p99 ms",
                "wall s",
                "dupes");
        for (Run r : runs) {
            System.out.printf(
                    Locale.ROOT,
                    "| %-12s | %7d | %12d | %11.1f | %16.1f | %11.0f | %11.0f | %7.1f | %5d |%n",
                    r.name(),
                    r.prompts(),
                    r.maxConcurrentAtProvider(),
                    r.responsesPerS(),
                    r.providerCallsPerS(),
                    r.latencyP50Ms(),
                    r.latencyP99Ms(),
                    r.wallS(),
                    r.duplicates());
        }
        boolean complete = runs.stream().allMatch(r -> r.missing() == 0 && r.duplicates() == 0);
        System.exit(complete ? 0 : 1);
    }

    private static Run run(
            LocalKafkaCluster broker,
            ReplayServer provider,
            Path dir,
            String name,
            int prompts,
            int maxInFlight,
            int rate)
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        String tag = rate == 0 ? "free" : "rate" + rate;
        Topics topics = Topics.withPrefix("load-" + tag + "-");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.createAll(admin, topics, 8, (short) 1);
            awaitLeaders(admin, topics);
        }
        Set<String> ids = produce(bootstrap, topics, prompts);
        WorkerConfig defaults = WorkerConfigLoader.load(ReferenceConfig.file(ReferenceConfig.WORKERS));
        TierConfig weak = defaults.weak()
                .withBaseUrl(provider.baseUrl())
                .withApiKeyEnv(null)
                .withProvider("replay")
                .withMaxInFlight(maxInFlight)
                .withMaxConcurrentCalls(maxInFlight + 100)
                .withRequestTimeoutMs(30_000)
                .withRateLimits(rate, 0);
        WorkerConfig config = defaults.withBootstrapServers(bootstrap)
                .withTopicPrefix(topics.prefix())
                .withGroupId("load-" + tag)
                .withMetricsPort(-1)
                .withCommitIntervalMs(100)
                .withTier(Tier.WEAK, weak)
                .withTier(
                        Tier.STRONG,
                        defaults.strong().withBaseUrl(provider.baseUrl()).withApiKeyEnv(null));
        try (OutcomeCollector collector = new OutcomeCollector(bootstrap, topics);
                ComponentProcess worker = ComponentProcess.workers(config, dir, "worker-" + tag, "-Xmx2g")) {
            provider.resetMaxInFlight();
            log(name + ": " + prompts + " prompts queued, worker started");
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(600);
            int low = prompts / 10;
            int high = prompts * 9 / 10;
            long lowAt = -1;
            long highAt = -1;
            long answeredAtLow = 0;
            long answeredAtHigh = 0;
            while (System.nanoTime() < deadline && worker.isAlive()) {
                int done = collector.count();
                long now = System.nanoTime();
                if (lowAt < 0 && done >= low) {
                    lowAt = now;
                    answeredAtLow = provider.answered();
                }
                if (highAt < 0 && done >= high) {
                    highAt = now;
                    answeredAtHigh = provider.answered();
                }
                if (done >= prompts) {
                    break;
                }
                Thread.sleep(10);
            }
            double wallS = (System.nanoTime() - start) / 1e9;
            collector.drain(Duration.ofSeconds(1));
            worker.terminate(60);
            double windowS = (highAt - lowAt) / 1e9;
            Map<String, Outcome> outcomes = collector.outcomes();
            double[] latencies = outcomes.values().stream()
                    .filter(Outcome::answered)
                    .mapToDouble(o -> o.response().latencyMs())
                    .sorted()
                    .toArray();
            int missing = 0;
            for (String id : ids) {
                missing += outcomes.containsKey(id) ? 0 : 1;
            }
            Run run = new Run(
                    name,
                    prompts,
                    provider.maxInFlight(),
                    highAt < 0 ? Double.NaN : (high - low) / windowS,
                    highAt < 0 ? Double.NaN : (answeredAtHigh - answeredAtLow) / windowS,
                    DemoSummary.percentile(latencies, 50),
                    DemoSummary.percentile(latencies, 99),
                    wallS,
                    collector.duplicates().size(),
                    missing);
            log(name + ": " + run);
            return run;
        }
    }

    /** New partitions take a moment to get a leader; producing before that can stall an idempotent producer. */
    static void awaitLeaders(Admin admin, Topics topics) throws Exception {
        List<String> names = topics.all().stream().map(t -> t.name()).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean ready;
            try {
                ready = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (java.util.concurrent.ExecutionException e) {
                ready = false; // just created: not every broker knows the topic yet
            }
            if (ready) {
                Thread.sleep(500);
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("topics without a leader after 60 s");
    }

    private static Set<String> produce(String bootstrap, Topics topics, int prompts) {
        Set<String> ids = new LinkedHashSet<>();
        try (KafkaProducer<String, byte[]> producer = BulkProducer.open(bootstrap)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < prompts; i++) {
                String id = "load-" + i;
                PromptRequest request = new PromptRequest(
                        id,
                        "load",
                        List.of(ChatMessage.user("Question " + i + ": what is 2 + " + i + "?")),
                        64,
                        Map.of(),
                        null,
                        now);
                RoutedPrompt routed = new RoutedPrompt(
                        request,
                        new RoutingDecision(
                                Tier.WEAK, ReplayDataset.WEAK_MODEL, 0.1, "random", "random-1", 0.5, false, now));
                producer.send(new ProducerRecord<>(topics.weakQueue().name(), id, Codecs.ROUTED_PROMPT.encode(routed)));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    private static void log(String message) {
        System.err.println("[load-workers] " + message);
    }

    static String describe(double[] values) {
        return Arrays.toString(values);
    }
}
