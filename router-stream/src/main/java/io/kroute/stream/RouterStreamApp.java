package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.Health;
import io.kroute.runtime.OpsEndpoint;
import io.kroute.schemas.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running router-stream with everything its settings name: the router, the topology in a {@link KafkaStreams}
 * instance, the model channel it follows, and the ops endpoint ({@code /metrics}, {@code /health}). {@code main}, the
 * demo, the load command and the integration tests all start it here, from a settings file.
 */
public final class RouterStreamApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterStreamApp.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final RoutingPolicy policy;
    private final RouterModelWatcher watcher;
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile OpsEndpoint endpoint;

    private RouterStreamApp(KafkaStreams streams, RoutingPolicy policy, RouterModelWatcher watcher) {
        this.streams = streams;
        this.policy = policy;
        this.watcher = watcher;
    }

    /**
     * Checks the cluster answers, loads the router, follows the model channel (serving its newest version before the
     * first prompt), starts the stream and the ops endpoint; returns at once (see {@link #awaitRunning}).
     *
     * @throws IllegalArgumentException a setting that cannot be served (an unknown router, a port in use)
     * @throws io.kroute.runtime.BrokerUnreachableException the cluster did not answer within the broker timeout
     */
    public static RouterStreamApp start(RouterStreamSettings settings) {
        if (settings.manyModels() != null) {
            // the configuration's faults (a model the predictor does not know) before the cluster's, as with two
            io.kroute.router.multi.QualityPredictor predictor =
                    io.kroute.router.multi.TrainedPredictor.load(settings.routerReference());
            RoutingPolicy policy;
            try {
                policy = settings.manyModelPolicy(predictor);
                BrokerCheck.require(settings.connection().clientConfig(), settings.brokerTimeout());
                QueueTopics.ensure(
                        settings.connection().clientConfig(),
                        settings.topics(),
                        settings.manyModels().queues());
            } catch (RuntimeException e) {
                predictor.close();
                throw e;
            }
            ManyModelSettings many = settings.manyModels();
            // A predictor published on the channel is served over the same queues; one that does not know a
            // configured model, or has no answer length for it, is refused (dead-lettered) and the one in service
            // stays. A two-model router is refused the same way: it is no predictor.
            return start(settings, policy, dir -> selectionRouter(dir, many));
        }
        return start(settings, RouterLoader.load(settings.routerReference()), dir -> RouterLoader.load(dir.toString()));
    }

    /** The predictor in {@code dir} selecting among the configured queues; closed again when it cannot. */
    private static Router selectionRouter(Path dir, ManyModelSettings many) {
        io.kroute.router.multi.QualityPredictor predictor = io.kroute.router.multi.TrainedPredictor.load(dir);
        try {
            return new SelectionRouter(ModelSelection.of(predictor, many));
        } catch (RuntimeException e) {
            predictor.close();
            throw e;
        }
    }

    /**
     * As {@link #start(RouterStreamSettings)}, serving {@code router} instead of loading {@code kroute.router}, and
     * turning the channel's unpacked artifacts into routers with {@code artifactLoader}: for tests that script what a
     * router scores. Everything else is started the same way.
     */
    public static RouterStreamApp start(
            RouterStreamSettings settings, Router router, Function<Path, Router> artifactLoader) {
        BrokerCheck.require(settings.connection().clientConfig(), settings.brokerTimeout());
        return start(settings, settings.policy(router), artifactLoader);
    }

    private static RouterStreamApp start(
            RouterStreamSettings settings, RoutingPolicy policy, Function<Path, Router> artifactLoader) {
        Topics topics = settings.topics();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RouterMetrics metrics = new RouterMetrics(registry);

        RouterModelWatcher watcher = null;
        if (!settings.modelChannel().isEmpty()) {
            watcher = new RouterModelWatcher(settings, policy.live(), artifactLoader);
            watcher.catchUp(CATCH_UP_TIMEOUT);
            watcher.start();
        }

        Properties props = RouterTopology.config(settings.streams());
        if (policy.trafficCalibration() != null) {
            // A task that moves to another instance finds its recent scores there, instead of replaying the changelog.
            props.putIfAbsent(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        }
        Topology topology =
                RouterTopology.build(new StreamsBuilder(), topics, policy, metrics, settings.routingOptions());
        KafkaStreams streams = new KafkaStreams(topology, props);
        new KafkaStreamsMetrics(streams).bindTo(registry);
        RouterStreamApp app = new RouterStreamApp(streams, policy, watcher);
        streams.setStateListener((now, before) -> {
            LOG.info("router-stream {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        // A failed stream thread is replaced: bad records never get here (they are dead-lettered), so what does is
        // transient (a broker bounce, a fenced transaction) and a fresh thread resumes from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed, replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        if (policy.selection() != null) {
            LOG.info(
                    "many models: queues {}, selector {}",
                    policy.selection().queues().stream()
                            .map(q -> q.queue() + "=" + q.model())
                            .toList(),
                    policy.selection().selector());
        }
        LOG.info(
                "starting router-stream: router {} {}, threshold {}{}, input {}{}",
                policy.router().info().kind(),
                policy.router().info().version(),
                policy.threshold(),
                policy.trafficCalibration() == null
                        ? ""
                        : " until calibrated on traffic " + policy.trafficCalibration(),
                topics.prompts().name(),
                settings.modelChannel().isEmpty() ? "" : ", following channel " + settings.modelChannel());
        try {
            if (settings.metricsPort() >= 0) {
                app.endpoint = OpsEndpoint.start(settings.metricsHost(), settings.metricsPort(), registry, app::health);
                LOG.info(
                        "metrics and health at http://{}:{}/metrics, /health",
                        settings.metricsHost(),
                        app.endpoint.port());
            }
            streams.start();
        } catch (IOException e) {
            app.close();
            throw new IllegalArgumentException(
                    RouterStreamSettings.METRICS_PORT + " " + settings.metricsPort() + " cannot be served: " + e, e);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /** Up while the stream runs (or rebalances) and, when following a channel, its watcher does. */
    public Health health() {
        KafkaStreams.State state = streams.state();
        Health.Builder health = Health.builder()
                .check(
                        "streams",
                        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING,
                        state.name());
        if (watcher != null) {
            health.check("model-channel", watcher.isFollowing(), "serving " + watcher.servedVersion());
        }
        return health.build();
    }

    /** Waits until every stream thread has its partitions and processes. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /** The version in service: the channel's newest when following one, else the configured router's. */
    public String servedVersion() {
        return policy.router().info().version();
    }

    /** The port of the ops endpoint, or -1 when it is off. */
    public int metricsPort() {
        OpsEndpoint current = endpoint;
        return current == null ? -1 : current.port();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (watcher != null) {
            try {
                watcher.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        OpsEndpoint current = endpoint;
        if (current != null) {
            current.close();
        }
        policy.live().close();
    }
}
