package io.kroute.workers;

import io.kroute.schemas.Tier;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running workers: one {@link QueueWorker} per tier, the providers' clients with their resilience sets, the meters
 * and (unless {@code metrics_port} is -1) the Prometheus endpoint, all on a given Vert.x instance.
 */
public final class WorkerApp {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

    private final Vertx vertx;
    private final List<String> deployments;
    private final Providers providers;
    private final MetricsServer metricsServer;
    private final ProviderResilience.Registries registries;
    private final WorkerMetrics metrics;

    private WorkerApp(
            Vertx vertx,
            List<String> deployments,
            Providers providers,
            MetricsServer metricsServer,
            ProviderResilience.Registries registries,
            WorkerMetrics metrics) {
        this.vertx = vertx;
        this.deployments = List.copyOf(deployments);
        this.providers = providers;
        this.metricsServer = metricsServer;
        this.registries = registries;
        this.metrics = metrics;
    }

    /**
     * Validates the config and deploys a worker for the strong and the weak queue; completes once both consumers have
     * subscribed (partitions are assigned asynchronously after that). If one fails, the other is undeployed.
     */
    public static Future<WorkerApp> start(Vertx vertx, WorkerConfig config) {
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        PrometheusMeterRegistry registry = WorkerMetrics.prometheus();
        WorkerMetrics metrics = new WorkerMetrics(registry);
        ProviderResilience.Registries registries = ProviderResilience.Registries.create();
        Providers providers = Providers.create(vertx, config, registries, metrics);
        metrics.bind(registries);
        List<String> deployed = new ArrayList<>();
        Future<MetricsServer> metricsServer = config.metricsPort() < 0
                ? Future.succeededFuture(null)
                : MetricsServer.start(vertx, registry, config.metricsPort())
                        .onSuccess(server -> LOG.info("metrics at http://0.0.0.0:{}/metrics", server.port()));
        return metricsServer.compose(server -> {
            Future<Void> chain = Future.succeededFuture();
            for (Tier tier : Tier.values()) {
                chain = chain.compose(v -> vertx.deployVerticle(new QueueWorker(config, tier, providers, metrics))
                        .map(id -> {
                            deployed.add(id);
                            return null;
                        }));
            }
            return chain.map(v -> new WorkerApp(vertx, deployed, providers, server, registries, metrics))
                    .recover(failure -> new WorkerApp(vertx, deployed, providers, server, registries, metrics)
                            .stop()
                            .transform(ar -> Future.failedFuture(failure)));
        });
    }

    /** Stops consuming, waits (bounded) for calls in flight, commits and closes both workers. */
    public Future<Void> stop() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String id : deployments) {
            undeployed.add(vertx.undeploy(id));
        }
        return Future.join(undeployed)
                .eventually(providers::close)
                .eventually(() -> metricsServer == null ? Future.succeededFuture() : metricsServer.close())
                .mapEmpty();
    }

    /** The port of the Prometheus endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public ProviderResilience.Registries registries() {
        return registries;
    }

    public WorkerMetrics metrics() {
        return metrics;
    }
}
