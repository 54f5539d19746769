package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.workers.CircuitBreakerSettings;
import io.kroute.workers.TierConfig;
import io.kroute.workers.WorkerApp;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Every component of the product wired together against one Kafka cluster, each started through its own App from the
 * reference file in {@code etc/} that a user deploys: the replay LLM endpoints (the stand-in for paid providers), the
 * router-stream and the workers. Only addresses, topic prefixes, group and application ids, and what a run is about
 * (the router and its share) are overridden. The demo and the end-to-end tests start it the same way.
 */
public final class Pipeline implements AutoCloseable {

    private final Vertx vertx;
    private final ReplayServer strongProvider;
    private final ReplayServer weakProvider;
    private final RouterStreamApp stream;
    private final WorkerApp workers;

    private Pipeline(
            Vertx vertx,
            ReplayServer strongProvider,
            ReplayServer weakProvider,
            RouterStreamApp stream,
            WorkerApp workers) {
        this.vertx = vertx;
        this.strongProvider = strongProvider;
        this.weakProvider = weakProvider;
        this.stream = stream;
        this.workers = workers;
    }

    /**
     * Starts the replay endpoints (each tier's model behind a provider of its own, with its own faults), the
     * router-stream and the workers, and returns once the stream is running and the workers are subscribed.
     *
     * @param routing router-stream keys this run sets on top of the reference file, e.g. {@code kroute.router}
     */
    public static Pipeline start(
            String bootstrapServers,
            Topics topics,
            ReplayDataset dataset,
            Map<String, String> routing,
            long replayLatencyMs,
            DemoFaults faults,
            long seed)
            throws Exception {
        return start(KafkaConnection.to(bootstrapServers), topics, dataset, routing, replayLatencyMs, faults, seed);
    }

    /** As above, on a cluster reached with {@code connection}'s settings (a secured one, say). */
    public static Pipeline start(
            KafkaConnection connection,
            Topics topics,
            ReplayDataset dataset,
            Map<String, String> routing,
            long replayLatencyMs,
            DemoFaults faults,
            long seed)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        RouterStreamApp stream = null;
        try {
            ReplayServer strongProvider = provider(vertx, dataset, replayLatencyMs, faults, seed, Tier.STRONG);
            ReplayServer weakProvider = provider(vertx, dataset, replayLatencyMs, faults, seed, Tier.WEAK);

            stream = RouterStreamApp.start(streamSettings(connection, topics, routing));

            WorkerConfig workerConfig =
                    workerConfig(connection, topics, strongProvider.baseUrl(), weakProvider.baseUrl(), replayLatencyMs);
            WorkerApp workers = WorkerApp.start(vertx, workerConfig).await(60, TimeUnit.SECONDS);
            if (!stream.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("router-stream did not reach RUNNING within 60 s: " + stream.state());
            }
            return new Pipeline(vertx, strongProvider, weakProvider, stream, workers);
        } catch (Exception e) {
            if (stream != null) {
                stream.close();
            }
            vertx.close().await(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The reference {@code etc/router-stream.properties} pointed at this cluster and these topics, with a fresh
     * application id and state directory (a run must not resume another's offsets), the ops endpoint on any free port,
     * and {@code routing} on top.
     */
    public static RouterStreamSettings streamSettings(
            String bootstrapServers, Topics topics, Map<String, String> routing) {
        return streamSettings(KafkaConnection.to(bootstrapServers), topics, routing);
    }

    /** As above, with {@code connection}'s settings (bootstrap and security) for every client of the stream. */
    public static RouterStreamSettings streamSettings(
            KafkaConnection connection, Topics topics, Map<String, String> routing) {
        Map<String, String> overrides = new HashMap<>(connection.properties());
        overrides.put("application.id", "kroute-router-" + UUID.randomUUID());
        overrides.put("state.dir", tempDir("kroute-streams"));
        overrides.put(RouterStreamSettings.TOPIC_PREFIX, topics.prefix());
        overrides.put(RouterStreamSettings.METRICS_PORT, "0");
        overrides.put(RouterStreamSettings.MODEL_DIR, tempDir("kroute-models"));
        overrides.putAll(routing);
        Properties reference = PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM));
        return RouterStreamSettings.withOverrides(reference, overrides);
    }

    /**
     * The reference {@code etc/retrainer.properties} pointed at this cluster and these topics, with a fresh application
     * id and state directory for the feedback join, and {@code learning} on top.
     */
    public static RetrainerConfig retrainerConfig(
            String bootstrapServers, Topics topics, Map<String, String> learning) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("bootstrap.servers", bootstrapServers);
        overrides.put("application.id", "kroute-feedback-join-" + UUID.randomUUID());
        overrides.put("state.dir", tempDir("kroute-join"));
        overrides.put("kroute.topic-prefix", topics.prefix());
        overrides.put("kroute.metrics.port", "0");
        overrides.putAll(learning);
        Properties reference = PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.RETRAINER));
        return RetrainerConfig.withOverrides(reference, overrides);
    }

    /**
     * The reference {@code etc/llm-workers.yaml} pointed at this cluster, these topics and the local providers: time
     * limits sized to the replay latency (an injected timeout then costs seconds, not the minute a real provider is
     * given), more attempts with short backoffs, and a breaker that probes again after 5 s.
     */
    static WorkerConfig workerConfig(
            String bootstrapServers, Topics topics, String strongUrl, String weakUrl, long replayLatencyMs) {
        return workerConfig(KafkaConnection.to(bootstrapServers), topics, strongUrl, weakUrl, replayLatencyMs);
    }

    static WorkerConfig workerConfig(
            KafkaConnection connection, Topics topics, String strongUrl, String weakUrl, long replayLatencyMs) {
        WorkerConfig reference = WorkerConfigLoader.load(ReferenceConfig.file(ReferenceConfig.WORKERS));
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(60, 50, 20, 5_000);
        long timeoutMs = 2_000 + 2 * replayLatencyMs;
        WorkerConfig secured = reference.withBootstrapServers(connection.bootstrapServers());
        for (Map.Entry<String, String> setting : connection.properties().entrySet()) {
            if (!setting.getKey().equals("bootstrap.servers")) {
                secured = secured.withKafkaProperty(setting.getKey(), setting.getValue());
            }
        }
        return secured.withTopicPrefix(topics.prefix())
                .withGroupId("kroute-workers-" + UUID.randomUUID())
                .withCommitIntervalMs(200)
                .withMetricsPort(0)
                // No API key: a real provider key from the environment must never reach the replay endpoint.
                .withTier(Tier.STRONG, local(reference.strong(), strongUrl, "replay-strong", timeoutMs, breaker))
                .withTier(Tier.WEAK, local(reference.weak(), weakUrl, "replay-weak", timeoutMs, breaker));
    }

    private static TierConfig local(
            TierConfig tier, String url, String provider, long timeoutMs, CircuitBreakerSettings breaker) {
        return tier.withBaseUrl(url)
                .withApiKeyEnv(null)
                .withProvider(provider)
                .withRequestTimeoutMs(timeoutMs)
                .withRetries(5, 200, 2_000)
                .withCircuitBreaker(breaker);
    }

    /** The replay endpoint standing in for one tier's provider, with that tier's faults. */
    static ReplayServer provider(
            Vertx vertx, ReplayDataset dataset, long latencyMs, DemoFaults faults, long seed, Tier tier)
            throws Exception {
        return ReplayServer.deploy(
                        vertx,
                        dataset,
                        ReplayServerOptions.defaults().withLatency(latencyMs, 0).withFaults(faults.forTier(tier, seed)))
                .await(30, TimeUnit.SECONDS);
    }

    static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String replayBaseUrl() {
        return strongProvider.baseUrl() + " (strong), " + weakProvider.baseUrl() + " (weak)";
    }

    /** The replay endpoint standing in for a tier's provider. */
    public ReplayServer provider(Tier tier) {
        return tier == Tier.STRONG ? strongProvider : weakProvider;
    }

    public RouterStreamApp stream() {
        return stream;
    }

    public WorkerApp workers() {
        return workers;
    }

    @Override
    public void close() throws Exception {
        try {
            workers.stop().await(60, TimeUnit.SECONDS);
        } finally {
            stream.close();
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }
}
