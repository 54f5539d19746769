package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.router.Router;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RoutingPolicy;
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
    private final ReplayServer replay;
    private final RouterStreamApp stream;
    private final WorkerApp workers;

    private Pipeline(Vertx vertx, ReplayServer replay, RouterStreamApp stream, WorkerApp workers) {
        this.vertx = vertx;
        this.replay = replay;
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
        Vertx vertx = Vertx.vertx();
        RouterStreamApp stream = null;
        try {
            ReplayServer replay = ReplayServer.deploy(
                            vertx, dataset, ReplayServerOptions.defaults().withLatency(replayLatencyMs, 0))
                    .await(30, TimeUnit.SECONDS);

            RoutingPolicy policy = new RoutingPolicy(
                    router, threshold, ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL, Clock.systemUTC());
            stream = RouterStreamApp.start(streamProps(bootstrapServers), topics, policy);

            WorkerConfig defaults = WorkerConfig.defaults();
            WorkerConfig workerConfig = defaults.withBootstrapServers(bootstrapServers)
                    .withTopicPrefix(topics.prefix())
                    .withGroupId("kroute-workers-" + UUID.randomUUID())
                    // No API key: a real provider key from the environment must never reach the replay endpoint.
                    .withTier(
                            Tier.STRONG,
                            defaults.strong().withBaseUrl(replay.baseUrl()).withApiKeyEnv(null))
                    .withTier(
                            Tier.WEAK,
                            defaults.weak().withBaseUrl(replay.baseUrl()).withApiKeyEnv(null));
            WorkerApp workers = WorkerApp.start(vertx, workerConfig).await(60, TimeUnit.SECONDS);
            if (!stream.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("router-stream did not reach RUNNING within 60 s: " + stream.state());
            }
            return new Pipeline(vertx, replay, stream, workers);
        } catch (Exception e) {
            if (stream != null) {
                stream.close();
            }
            vertx.close().await(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Properties streamProps(String bootstrapServers) throws IOException {
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
        return replay.baseUrl();
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
