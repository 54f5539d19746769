package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.workers.WorkerConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline as a deployment runs it, scaled out: several router-stream instances and several worker processes,
 * each a child JVM started through its component's {@code main} from the reference file in {@code etc/} (only
 * addresses, ids and the run's routing overridden), sharing their consumer groups so Kafka spreads the partitions over
 * them. The replay providers stand in for the paid LLM APIs in this JVM. Any instance can be killed (SIGKILL) and
 * started again with the same identity.
 */
final class ScaledPipeline implements AutoCloseable {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(180);

    private final Vertx vertx;
    private final ReplayServer strongProvider;
    private final ReplayServer weakProvider;
    private final List<ComponentProcess> routers;
    private final List<ComponentProcess> workers;

    private ScaledPipeline(
            Vertx vertx,
            ReplayServer strongProvider,
            ReplayServer weakProvider,
            List<ComponentProcess> routers,
            List<ComponentProcess> workers) {
        this.vertx = vertx;
        this.strongProvider = strongProvider;
        this.weakProvider = weakProvider;
        this.routers = routers;
        this.workers = workers;
    }

    /**
     * Starts the providers, {@code routerInstances} router-streams and {@code workerInstances} workers, and returns once
     * every one answers {@code /health}.
     *
     * @param routing router-stream keys this run sets on top of the reference file, e.g. {@code kroute.router}
     * @param dir where the instances' config files, state and logs go
     */
    static ScaledPipeline start(
            KafkaConnection connection,
            Topics topics,
            ReplayDataset dataset,
            Map<String, String> routing,
            int routerInstances,
            int workerInstances,
            long replayLatencyMs,
            DemoFaults faults,
            long seed,
            Path dir)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        List<ComponentProcess> routers = new ArrayList<>();
        List<ComponentProcess> workers = new ArrayList<>();
        try {
            ReplayServer strong = Pipeline.provider(vertx, dataset, replayLatencyMs, faults, seed, Tier.STRONG);
            ReplayServer weak = Pipeline.provider(vertx, dataset, replayLatencyMs, faults, seed, Tier.WEAK);
            Properties reference = PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM));
            String applicationId = "kroute-router-" + UUID.randomUUID();
            for (int i = 1; i <= routerInstances; i++) {
                String name = routerName(i - 1);
                Map<String, String> overrides = new HashMap<>();
                overrides.putAll(connection.properties());
                overrides.put("application.id", applicationId);
                overrides.put("state.dir", dir.resolve(name).resolve("state").toString());
                // Static membership: an instance started again within the session timeout takes its tasks back
                // without a rebalance; one that stays down is replaced after 10 s instead of the default 45.
                overrides.put("consumer.group.instance.id", name);
                overrides.put("consumer.session.timeout.ms", "10000");
                overrides.put(RouterStreamSettings.INSTANCE_ID, name);
                overrides.put(RouterStreamSettings.TOPIC_PREFIX, topics.prefix());
                overrides.put(RouterStreamSettings.METRICS_PORT, Integer.toString(freePort()));
                overrides.put(
                        RouterStreamSettings.MODEL_DIR,
                        dir.resolve(name).resolve("models").toString());
                overrides.putAll(routing);
                Properties config = PropertiesConfig.overridden(reference, overrides);
                RouterStreamSettings.fromProperties(config); // a bad override fails here, not in a child's log
                routers.add(ComponentProcess.routerStream(config, dir, name, "-Xmx768m"));
            }
            WorkerConfig local =
                    Pipeline.workerConfig(connection, topics, strong.baseUrl(), weak.baseUrl(), replayLatencyMs);
            // A dozen JVMs share the cores here: a 2 s time limit would count CPU starvation as provider timeouts
            // (and open breakers), so each attempt gets 15 s.
            WorkerConfig shared = local.withGroupId("kroute-workers-" + UUID.randomUUID())
                    .withTier(Tier.STRONG, local.strong().withRequestTimeoutMs(15_000))
                    .withTier(Tier.WEAK, local.weak().withRequestTimeoutMs(15_000));
            for (int i = 1; i <= workerInstances; i++) {
                String name = "worker-" + i;
                WorkerConfig config = shared.withInstanceId(name).withMetricsPort(freePort());
                workers.add(ComponentProcess.workers(config, dir, name, "-Xmx512m"));
            }
            for (ComponentProcess process : routers) {
                process.awaitHealthy(HEALTHY_WITHIN);
            }
            for (ComponentProcess process : workers) {
                process.awaitHealthy(HEALTHY_WITHIN);
            }
            return new ScaledPipeline(vertx, strong, weak, routers, workers);
        } catch (Exception e) {
            for (ComponentProcess process : routers) {
                process.close();
            }
            for (ComponentProcess process : workers) {
                process.close();
            }
            vertx.close().await(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The instance name (and static group member id) of router-stream instance {@code index}, 0-based. */
    static String routerName(int index) {
        return "router-" + (index + 1);
    }

    void killRouter(int index) throws InterruptedException {
        routers.get(index).kill();
    }

    /** Starts a killed router-stream again with its identity and state directory, and waits until it is healthy. */
    void restartRouter(int index) throws IOException, InterruptedException {
        routers.get(index).restart();
        routers.get(index).awaitHealthy(HEALTHY_WITHIN);
    }

    void killWorker(int index) throws InterruptedException {
        workers.get(index).kill();
    }

    void restartWorker(int index) throws IOException, InterruptedException {
        workers.get(index).restart();
        workers.get(index).awaitHealthy(HEALTHY_WITHIN);
    }

    String describe() {
        return routers.size() + " router-stream instance(s) and " + workers.size() + " worker process(es) (logs in "
                + routers.get(0).log().getParent() + "), replay providers " + strongProvider.baseUrl() + " (strong), "
                + weakProvider.baseUrl() + " (weak)";
    }

    /** The replay endpoint standing in for a tier's provider. */
    ReplayServer provider(Tier tier) {
        return tier == Tier.STRONG ? strongProvider : weakProvider;
    }

    /** The workers' ops endpoints' metrics, as text (of the processes running now). */
    List<String> workerMetrics() throws IOException, InterruptedException {
        List<String> scraped = new ArrayList<>();
        for (ComponentProcess worker : workers) {
            if (worker.isAlive()) {
                scraped.add(worker.get("/metrics").body());
            }
        }
        return scraped;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM to every instance (workers first, so their last transactions commit), then the providers. */
    @Override
    public void close() throws Exception {
        for (ComponentProcess worker : workers) {
            worker.terminate(60);
        }
        for (ComponentProcess router : routers) {
            router.terminate(60);
        }
        for (ComponentProcess process : workers) {
            process.close();
        }
        for (ComponentProcess process : routers) {
            process.close();
        }
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}
