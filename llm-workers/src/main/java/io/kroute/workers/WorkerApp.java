package io.kroute.workers;

import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.Health;
import io.kroute.runtime.OpsEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running workers with everything their config names: one {@link QueueWorker} per queue, the providers' clients
 * with their resilience sets, the meters and (unless {@code metrics_port} is -1) the ops endpoint ({@code /metrics},
 * {@code /health}), all on a given Vert.x instance. {@code main}, the demo, the load command and the tests start them
 * here.
 */
public final class WorkerApp {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    private final Vertx vertx;
    private final List<String> deployments;
    private final List<QueueWorker> workers;
    private final Providers providers;
    private final ProviderResilience.Registries registries;
    private final WorkerMetrics metrics;
    private volatile OpsEndpoint endpoint;

    private WorkerApp(
            Vertx vertx,
            List<String> deployments,
            List<QueueWorker> workers,
            Providers providers,
            ProviderResilience.Registries registries,
            WorkerMetrics metrics) {
        this.vertx = vertx;
        this.deployments = List.copyOf(deployments);
        this.workers = List.copyOf(workers);
        this.providers = providers;
        this.registries = registries;
        this.metrics = metrics;
    }

    /**
     * Validates the config, checks the cluster answers, and deploys a worker for each queue (the strong and the weak
     * one, or those of {@code models}); completes once every consumer has subscribed (partitions are assigned
     * asynchronously after that). If one fails, the others are undeployed. Fails with IllegalArgumentException for a
     * bad config and with {@link io.kroute.runtime.BrokerUnreachableException} when the cluster does not answer in
     * {@code broker_timeout_ms}.
     */
    public static Future<WorkerApp> start(Vertx vertx, WorkerConfig config) {
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return vertx.executeBlocking(() -> {
                    BrokerCheck.require(
                            config.connection().clientConfig(), Duration.ofMillis(config.brokerTimeoutMs()));
                    return null;
                })
                .compose(v -> deploy(vertx, config));
    }

    private static Future<WorkerApp> deploy(Vertx vertx, WorkerConfig config) {
        PrometheusMeterRegistry registry = WorkerMetrics.prometheus();
        WorkerMetrics metrics = new WorkerMetrics(registry);
        ProviderResilience.Registries registries = ProviderResilience.Registries.create();
        Providers providers = Providers.create(vertx, config, registries, metrics);
        metrics.bind(registries);
        List<String> deployed = new ArrayList<>();
        List<QueueWorker> workers = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (String queue : config.queues().keySet()) {
            QueueWorker worker = new QueueWorker(config, queue, providers, metrics);
            workers.add(worker);
            chain = chain.compose(v -> vertx.deployVerticle(worker).map(id -> {
                deployed.add(id);
                return null;
            }));
        }
        WorkerApp app = new WorkerApp(vertx, deployed, workers, providers, registries, metrics);
        return chain.compose(v -> config.metricsPort() < 0
                        ? Future.succeededFuture(app)
                        : vertx.executeBlocking(() -> {
                            app.endpoint = OpsEndpoint.start("0.0.0.0", config.metricsPort(), registry, app::health);
                            LOG.info("metrics and health at http://0.0.0.0:{}/metrics, /health", app.endpoint.port());
                            return app;
                        }))
                .recover(failure -> new WorkerApp(vertx, deployed, workers, providers, registries, metrics)
                        .stop()
                        .transform(ar -> Future.failedFuture(failure)));
    }

    /** Up while every queue's consumer runs. */
    public Health health() {
        Health.Builder health = Health.builder();
        for (QueueWorker worker : workers) {
            health.check(
                    "queue-" + worker.queue(),
                    worker.consuming(),
                    worker.consuming() ? worker.inFlight() + " in flight" : "not consuming");
        }
        return health.build();
    }

    /** Stops consuming, waits (bounded) for calls in flight, commits and closes every queue's worker. */
    public Future<Void> stop() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String id : deployments) {
            undeployed.add(vertx.undeploy(id));
        }
        return Future.join(undeployed)
                .eventually(providers::close)
                .eventually(() -> {
                    OpsEndpoint current = endpoint;
                    if (current != null) {
                        current.close();
                    }
                    return Future.succeededFuture();
                })
                .mapEmpty();
    }

    /** The port of the ops endpoint, or -1 when it is off. */
    public int metricsPort() {
        OpsEndpoint current = endpoint;
        return current == null ? -1 : current.port();
    }

    public ProviderResilience.Registries registries() {
        return registries;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }
}
