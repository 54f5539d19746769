package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.router.Router;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RoutingPolicy;
import io.kroute.workers.CircuitBreakerSettings;
import io.kroute.workers.TierConfig;
import io.kroute.workers.WorkerApp;
import io.kroute.workers.WorkerConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Every component of the product wired together against one Kafka cluster: the replay LLM endpoint, the router-stream
 * and the workers. The demo and the end-to-end test start it the same way.
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
     * Starts the replay endpoint, the router-stream and the workers, and returns once the stream is running and the
     * workers are subscribed.
     */
    public static Pipeline start(
            String bootstrapServers,
            Topics topics,
            ReplayDataset dataset,
            Router router,
            double threshold,
            long replayLatencyMs)
            throws Exception {
        return start(bootstrapServers, topics, dataset, router, threshold, replayLatencyMs, DemoFaults.none(), 0);
    }

    /**
     * As above, with each tier's model behind its own replay endpoint (a provider of its own, with its own faults,
     * connection pool and resilience set), injecting {@code faults}.
     */
    public static Pipeline start(
            String bootstrapServers,
            Topics topics,
            ReplayDataset dataset,
            Router router,
            double threshold,
            long replayLatencyMs,
            DemoFaults faults,
            long seed)
            throws Exception {
        RoutingPolicy policy = new RoutingPolicy(
                router, threshold, ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL, Clock.systemUTC());
        return start(bootstrapServers, topics, dataset, policy, replayLatencyMs, faults, seed);
    }

    /** As above, routing by {@code policy}, whose router can be replaced while the pipeline runs. */
    public static Pipeline start(
            String bootstrapServers,
            Topics topics,
            ReplayDataset dataset,
            RoutingPolicy policy,
            long replayLatencyMs,
            DemoFaults faults,
            long seed)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        RouterStreamApp stream = null;
        try {
            ReplayServer strongProvider = provider(vertx, dataset, replayLatencyMs, faults, seed, Tier.STRONG);
            ReplayServer weakProvider = provider(vertx, dataset, replayLatencyMs, faults, seed, Tier.WEAK);

            stream = RouterStreamApp.start(streamProps(bootstrapServers), topics, policy);

            WorkerConfig workerConfig = workerConfig(
                    bootstrapServers, topics, strongProvider.baseUrl(), weakProvider.baseUrl(), replayLatencyMs);
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
     * The workers against the local providers: time limits sized to the replay latency (an injected timeout then
     * costs seconds, not the minute a real provider is given), more attempts with short backoffs, and a breaker that
     * probes again after 5 s.
     */
    static WorkerConfig workerConfig(
            String bootstrapServers, Topics topics, String strongUrl, String weakUrl, long replayLatencyMs) {
        WorkerConfig defaults = WorkerConfig.defaults();
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(60, 50, 20, 5_000);
        long timeoutMs = 2_000 + 2 * replayLatencyMs;
        return defaults.withBootstrapServers(bootstrapServers)
                .withTopicPrefix(topics.prefix())
                .withGroupId("kroute-workers-" + UUID.randomUUID())
                .withCommitIntervalMs(200)
                .withMetricsPort(-1)
                // No API key: a real provider key from the environment must never reach the replay endpoint.
                .withTier(Tier.STRONG, local(defaults.strong(), strongUrl, "replay-strong", timeoutMs, breaker))
                .withTier(Tier.WEAK, local(defaults.weak(), weakUrl, "replay-weak", timeoutMs, breaker));
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
    private static ReplayServer provider(
            Vertx vertx, ReplayDataset dataset, long latencyMs, DemoFaults faults, long seed, Tier tier)
            throws Exception {
        return ReplayServer.deploy(
                        vertx,
                        dataset,
                        ReplayServerOptions.defaults().withLatency(latencyMs, 0).withFaults(faults.forTier(tier, seed)))
                .await(30, TimeUnit.SECONDS);
    }

    static Properties streamProps(String bootstrapServers) throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kroute-router-" + UUID.randomUUID());
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("kroute-streams").toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        return props;
    }

    public String replayBaseUrl() {
        return strongProvider.baseUrl() + " (strong), " + weakProvider.baseUrl() + " (weak)";
    }

    /** The replay endpoint standing in for a tier's provider. */
    public ReplayServer provider(Tier tier) {
        return tier == Tier.STRONG ? strongProvider : weakProvider;
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
