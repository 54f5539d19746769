package io.kroute.batch;

import io.kroute.batch.http.ApiKeys;
import io.kroute.batch.http.BatchApi;
import io.kroute.batch.kafka.BatchTopics;
import io.kroute.batch.kafka.GatewayWriter;
import io.kroute.batch.ledger.LedgerMetrics;
import io.kroute.batch.ledger.LedgerStores;
import io.kroute.batch.ledger.LedgerTopology;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.Health;
import io.kroute.schemas.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running batch gateway with everything its configuration names: its topics, the ledger (a Kafka Streams app,
 * exactly-once), the transactional writer, and the HTTP API. {@code main}, the ITs and the demo start it here.
 */
public final class BatchGatewayApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchGatewayApp.class);

    private final Vertx vertx;
    private final KafkaStreams streams;
    private final GatewayWriter writer;
    private final CountDownLatch running = new CountDownLatch(1);
    private HttpServer server;

    private BatchGatewayApp(Vertx vertx, KafkaStreams streams, GatewayWriter writer) {
        this.vertx = vertx;
        this.streams = streams;
        this.writer = writer;
    }

    /**
     * Starts the gateway; returns once the API listens (see {@link #awaitRunning} for the ledger).
     *
     * @param env reads the environment variables the API keys name
     * @throws IllegalArgumentException a setting that cannot be served (an unset key variable, a port in use)
     * @throws io.kroute.runtime.BrokerUnreachableException the cluster did not answer in time
     */
    public static BatchGatewayApp start(BatchGatewayConfig config, Function<String, String> env) throws Exception {
        ApiKeys keys = ApiKeys.from(config.apiKeys(), env);
        Map<String, Object> client = new HashMap<>(config.kafka());
        client.put("bootstrap.servers", config.bootstrapServers());
        BrokerCheck.require(client, Duration.ofMillis(config.brokerTimeoutMs()));

        BatchTopics topics = new BatchTopics(config.topicPrefix(), config.ledgerPartitions());
        try (Admin admin = Admin.create(client)) {
            short replication = (short)
                    (config.replicationFactor() > 0
                            ? config.replicationFactor()
                            : Math.min(
                                    3,
                                    admin.describeCluster()
                                            .nodes()
                                            .get(30, TimeUnit.SECONDS)
                                            .size()));
            topics.create(admin, replication);
        }

        Path stateDir = config.stateDir().isBlank()
                ? Files.createTempDirectory("kroute-batch-gateway-")
                : Files.createDirectories(Path.of(config.stateDir()));
        Path uploads = Files.createDirectories(stateDir.resolve("uploads"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Properties props = new Properties();
        props.putAll(client);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("streams").toString());
        // static membership: a gateway restarted under the same instance id takes its ledger tasks back at once,
        // instead of waiting out the dead member's session
        props.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                config.applicationId() + "-" + config.instanceId());
        KafkaStreams streams = new KafkaStreams(
                LedgerTopology.build(
                        new StreamsBuilder(),
                        Topics.withPrefix(config.topicPrefix()),
                        topics,
                        config.ledgerOptions(),
                        new LedgerMetrics(registry)),
                LedgerTopology.config(props));
        new KafkaStreamsMetrics(streams).bindTo(registry);
        GatewayWriter writer = new GatewayWriter(client, config.applicationId() + "-" + config.instanceId());
        Vertx vertx = Vertx.vertx();
        BatchGatewayApp app = new BatchGatewayApp(vertx, streams, writer);
        streams.setStateListener((now, before) -> {
            LOG.info("batch ledger {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("ledger thread failed, replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        try {
            streams.start();
            BatchApi api = new BatchApi(
                    vertx,
                    new BatchService(streams, writer, topics, config),
                    keys,
                    config.maxFileBytes(),
                    uploads,
                    app::health,
                    registry::scrape);
            app.server = api.listen(config.host(), config.port()).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            app.close();
            if (e.getCause() instanceof IOException || e instanceof IOException) {
                throw new IllegalArgumentException("port " + config.port() + " cannot be served: " + e.getMessage(), e);
            }
            throw e;
        }
        LOG.info(
                "batch gateway at http://{}:{}/v1 (files, batches), ledger over {}",
                config.host(),
                app.port(),
                topics.events());
        return app;
    }

    /**
     * Up while the API can answer: the ledger runs with its tasks, and its stores are queryable (a ledger can run while
     * a store it owns still restores from its changelog, after a restart on an empty disk).
     */
    public Health health() {
        KafkaStreams.State state = streams.state();
        boolean queryable = false;
        String stores;
        try {
            int tasks = streams.metadataForLocalThreads().stream()
                    .mapToInt(thread -> thread.activeTasks().size())
                    .sum();
            for (String name : List.of(LedgerTopology.JOBS_VIEW, LedgerStores.RESULTS, LedgerTopology.FILES_STORE)) {
                streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()))
                        .get("");
            }
            // an instance without ledger tasks cannot serve its jobs' files (see docs: one gateway per partition)
            queryable = tasks > 0;
            stores = tasks > 0 ? "queryable, " + tasks + " ledger task(s)" : "no ledger task assigned yet";
        } catch (InvalidStateStoreException | IllegalStateException e) {
            stores = "restoring: " + e.getMessage();
        }
        return Health.builder()
                .check("ledger", state == KafkaStreams.State.RUNNING, state.name())
                .check("stores", queryable, stores)
                .build();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close().await(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("API did not close cleanly: {}", e.toString());
        }
        streams.close(Duration.ofSeconds(30));
        writer.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("vert.x did not close cleanly: {}", e.toString());
        }
    }
}
