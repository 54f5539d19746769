package io.kroute.workers;

import io.kroute.schemas.Tier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The running workers: one {@link QueueWorker} per tier, deployed on a given Vert.x instance. */
public final class WorkerApp {

    private final Vertx vertx;
    private final List<String> deployments;

    private WorkerApp(Vertx vertx, List<String> deployments) {
        this.vertx = vertx;
        this.deployments = List.copyOf(deployments);
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
        List<String> deployed = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (Tier tier : Tier.values()) {
            chain = chain.compose(
                    v -> vertx.deployVerticle(new QueueWorker(config, tier)).map(id -> {
                        deployed.add(id);
                        return null;
                    }));
        }
        return chain.map(v -> new WorkerApp(vertx, deployed))
                .recover(
                        failure -> new WorkerApp(vertx, deployed).stop().transform(ar -> Future.failedFuture(failure)));
    }

    /** Stops consuming, waits (bounded) for calls in flight, commits and closes both workers. */
    public Future<Void> stop() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String id : deployments) {
            undeployed.add(vertx.undeploy(id));
        }
        return Future.join(undeployed).mapEmpty();
    }
}
