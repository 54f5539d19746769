package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.retrain.RouterPublisher;
import io.kroute.router.ModelCard;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each component's {@code main}, as a deployment runs it, started with its reference file from {@code etc/} (only
 * addresses, ids, topic prefixes and directories overridden): every one answers {@code /health} and {@code /metrics},
 * a router published to the channel is served by the router-stream and names the answers the workers write, and with no
 * cluster to reach each says so in one line and exits 2.
 */
@Tag("integration")
@Timeout(300)
class ComponentMainsIT {

    private static final TestKafka kafka = TestKafka.shared();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void every_main_serves_health_and_metrics_and_the_router_published_to_its_channel(@TempDir Path tmp)
            throws Exception {
        // given: the three mains on their reference files, the workers calling a replay endpoint
        Topics topics = Topics.withPrefix("mains-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        Vertx vertx = Vertx.vertx();
        int streamPort = freePort();
        int workersPort = freePort();
        int retrainerPort = freePort();
        try {
            ReplayServer replay = ReplayServer.deploy(
                            vertx, ReplayDataset.loadBundled(), ReplayServerOptions.defaults())
                    .await(30, TimeUnit.SECONDS);
            Properties stream = PropertiesConfig.overridden(
                    PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM)),
                    Map.of(
                            "bootstrap.servers", kafka.bootstrapServers(),
                            "application.id", "mains-router-" + UUID.randomUUID(),
                            "state.dir", tmp.resolve("streams").toString(),
                            "kroute.topic-prefix", topics.prefix(),
                            "kroute.metrics.port", Integer.toString(streamPort),
                            "kroute.models.dir", tmp.resolve("models").toString()));
            Properties retrainer = PropertiesConfig.overridden(
                    PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.RETRAINER)),
                    Map.of(
                            "bootstrap.servers", kafka.bootstrapServers(),
                            "application.id", "mains-join-" + UUID.randomUUID(),
                            "state.dir", tmp.resolve("join").toString(),
                            "kroute.topic-prefix", topics.prefix(),
                            "kroute.metrics.port", Integer.toString(retrainerPort),
                            "kroute.retrainer.work-dir",
                                    tmp.resolve("retrainer").toString()));
            WorkerConfig reference = WorkerConfigLoader.load(ReferenceConfig.file(ReferenceConfig.WORKERS));
            WorkerConfig workers = reference
                    .withBootstrapServers(kafka.bootstrapServers())
                    .withTopicPrefix(topics.prefix())
                    .withGroupId("mains-workers-" + UUID.randomUUID())
                    .withMetricsPort(workersPort)
                    .withTier(
                            Tier.STRONG,
                            reference.strong().withBaseUrl(replay.baseUrl()).withApiKeyEnv(null))
                    .withTier(
                            Tier.WEAK,
                            reference.weak().withBaseUrl(replay.baseUrl()).withApiKeyEnv(null));

            try (ComponentProcess streamMain = ComponentProcess.routerStream(stream, tmp, "router-stream", "-Xmx1g");
                    ComponentProcess workersMain = ComponentProcess.workers(workers, tmp, "workers", "-Xmx1g");
                    ComponentProcess retrainerMain = ComponentProcess.retrainer(retrainer, tmp, "retrainer", "-Xmx1g");
                    RouterPublisher publisher = new RouterPublisher(kafka.bootstrapServers(), topics);
                    PromptProducer prompts = new PromptProducer(
                            kafka.bootstrapServers(), topics.prompts().name())) {
                // then: each is healthy and exports its own metrics
                for (ComponentProcess main : List.of(streamMain, workersMain, retrainerMain)) {
                    main.awaitHealthy(Duration.ofSeconds(120));
                    assertThat(main.get("/health").body()).startsWith("{\"status\":\"UP\"");
                }
                assertThat(get(streamPort, "/metrics").body())
                        .contains("kroute_router_score_seconds")
                        .contains("kafka_stream_");
                assertThat(get(workersPort, "/metrics").body())
                        .contains("kroute_worker_in_flight")
                        .contains("resilience4j_circuitbreaker_state");
                assertThat(get(retrainerPort, "/metrics").body()).contains("kroute_retrainer_labels");
                assertThat(get(streamPort, "/nope").statusCode()).isEqualTo(404);

                // when: a trained router is published to the channel the reference file follows, then a prompt sent
                Path artifact = shippedRouter(tmp, "static-mf");
                String version = ModelCard.fromJson(Files.readAllBytes(artifact.resolve(ModelCard.FILE)))
                        .version();
                publisher.publish(RouterModel.inline(
                        stream.getProperty("kroute.models.channel"),
                        version,
                        "mf",
                        artifact,
                        System.currentTimeMillis(),
                        "published by the test"));
                awaitBody(streamPort, "/health", "serving " + version);
                ReplayDataset dataset = ReplayDataset.loadBundled();
                String prompt = dataset.items(ReplayDataset.GSM8K).get(0).prompt();
                prompts.send(
                        new PromptRequest("mains-1", "t", List.of(ChatMessage.user(prompt)), 64, Map.of(), null, 0));
                prompts.flush();

                // then: the answer names the published version
                LlmResponse response = readResponse(topics, "mains-1");
                assertThat(response.routerVersion()).isEqualTo(version);
                assertThat(get(streamPort, "/metrics").body()).contains("router_version=\"" + version + "\"");

                // and: every metric the Grafana dashboard charts is exported by one of them (those that only exist
                // after a failure aside)
                String scraped = get(streamPort, "/metrics").body()
                        + get(workersPort, "/metrics").body()
                        + get(retrainerPort, "/metrics").body();
                for (String name : DashboardMetrics.names(DashboardMetrics.dashboard())) {
                    if (!DashboardMetrics.ON_FAILURE_ONLY.contains(name)) {
                        assertThat(scraped).as("dashboard metric " + name).containsPattern("(?m)^" + name + "[{ ]");
                    }
                }
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void with_no_cluster_every_main_says_so_in_one_line_and_exits_2(@TempDir Path tmp) throws Exception {
        // given: nothing listens on 127.0.0.1:1
        String nowhere = "127.0.0.1:1";
        Properties stream = PropertiesConfig.overridden(
                PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM)),
                Map.of("bootstrap.servers", nowhere, "kroute.broker.timeout-ms", "2000", "kroute.metrics.port", "-1"));
        Properties retrainer = PropertiesConfig.overridden(
                PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.RETRAINER)),
                Map.of("bootstrap.servers", nowhere, "kroute.broker.timeout-ms", "2000", "kroute.metrics.port", "-1"));
        WorkerConfig workers = WorkerConfigLoader.load(ReferenceConfig.file(ReferenceConfig.WORKERS))
                .withBootstrapServers(nowhere)
                .withBrokerTimeoutMs(2_000)
                .withMetricsPort(-1);

        // when
        try (ComponentProcess streamMain = ComponentProcess.routerStream(stream, tmp, "router-stream");
                ComponentProcess workersMain = ComponentProcess.workers(workers, tmp, "workers");
                ComponentProcess retrainerMain = ComponentProcess.retrainer(retrainer, tmp, "retrainer")) {
            // then
            for (ComponentProcess main : List.of(streamMain, workersMain, retrainerMain)) {
                assertThat(main.awaitExit(Duration.ofSeconds(60)))
                        .as(main.log().toString())
                        .isTrue();
                assertThat(main.exitValue()).as(Files.readString(main.log())).isEqualTo(2);
                List<String> lines = Files.readAllLines(main.log()).stream()
                        .filter(line -> !line.isBlank())
                        .toList();
                assertThat(lines)
                        .as(main.log().toString())
                        .hasSize(1)
                        .allMatch(line -> line.endsWith("cannot reach Kafka at " + nowhere + " within 2 s"));
            }
        }
    }

    /** A copy of a router shipped in router-core, as a directory a publisher can pack. */
    private static Path shippedRouter(Path tmp, String name) throws IOException {
        Path source = Path.of("..", "router-core", "src", "main", "resources", "kroute", "routers", name);
        Path target = tmp.resolve("artifact-" + name);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    private static void awaitBody(int port, String path, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(port, path).body();
            if (body.contains(expected)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never said '" + expected + "'; last: " + body);
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static LlmResponse readResponse(Topics topics, String id) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(List.of(topics.responses().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(record.key())) {
                        return Codecs.LLM_RESPONSE.decode(record.value());
                    }
                }
            }
        }
        throw new AssertionError("no response for " + id);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
