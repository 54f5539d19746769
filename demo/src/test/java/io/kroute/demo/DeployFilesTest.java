package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kroute.batch.BatchGatewayConfig;
import io.kroute.batch.kafka.BatchTopics;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.schemas.Topic;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy files of {@code ops/deploy} (compose, Kubernetes, Grafana) checked without Docker or a cluster: the topics
 * they create are the {@link Topics} registry's, every config they carry is accepted by its component's own loader and
 * differs from the reference file in {@code etc/} only where a deployment must (addresses), the probes and grace periods
 * fit the configs, and the image's entrypoint starts the right main.
 */
class DeployFilesTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ETC =
            ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM).getParent();
    private static final Path DEPLOY = ETC.resolveSibling("ops").resolve("deploy");

    private static final String COMPOSE_BROKER = "kafka:9092";
    private static final BatchTopics BATCH = new BatchTopics("", 1);
    private static final String STRIMZI_BROKER = "kroute-kafka-bootstrap.kroute.svc:9092";

    // What a deploy config may change from etc/: where things are, never how they behave.
    private static final Set<String> PROPERTIES_MAY_CHANGE = Set.of("bootstrap.servers", "kroute.metrics.host");
    private static final Set<String> WORKERS_MAY_CHANGE =
            Set.of("bootstrap_servers", "strong.base_url", "weak.base_url", "strong.api_key_env", "weak.api_key_env");

    // (a)
    @Test
    void kafka_topics_are_the_registry_s_with_their_settings() throws IOException {
        List<JsonNode> topics = k8s("KafkaTopic");

        assertThat(topics)
                .extracting(t -> t.at("/spec/topicName").asText())
                .containsExactlyInAnyOrderElementsOf(withBatchTopics(registry()));
        Set<Integer> keyedPartitions = new TreeSet<>();
        for (JsonNode topic : topics) {
            String name = topic.at("/spec/topicName").asText();
            JsonNode config = topic.at("/spec/config");
            assertThat(topic.at("/apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText())
                    .isEqualTo("kroute-kafka");
            assertThat(topic.at("/spec/replicas").asInt()).as(name).isEqualTo(3);
            assertThat(config.path("min.insync.replicas").asInt()).as(name).isEqualTo(2);
            if (name.equals(BATCH.files()) || name.equals(BATCH.jobs())) {
                // the gateway's own topics: a file and a job are their latest records
                assertThat(config.path("cleanup.policy").asText()).as(name).isEqualTo("compact");
                assertThat(topic.at("/spec/partitions").asInt()).as(name).isEqualTo(1);
            } else if (name.equals(BATCH.events())) {
                assertThat(config.path("cleanup.policy").asText()).isEqualTo("delete");
                assertThat(config.has("retention.ms")).isTrue();
                assertThat(topic.at("/spec/partitions").asInt())
                        .as("one ledger partition, as etc/batch-gateway.yaml says")
                        .isEqualTo(BatchGatewayConfig.defaults().ledgerPartitions());
            } else if (name.equals(Topics.DEFAULT.routerModels().name())) {
                assertThat(config.path("cleanup.policy").asText()).isEqualTo("compact");
                assertThat(config.path("max.message.bytes").asInt()).isEqualTo(16 * 1024 * 1024);
                assertThat(topic.at("/spec/partitions").asInt()).isEqualTo(1);
            } else {
                assertThat(config.path("cleanup.policy").asText()).as(name).isEqualTo("delete");
                assertThat(config.has("retention.ms")).as(name).isTrue();
                keyedPartitions.add(topic.at("/spec/partitions").asInt());
            }
        }
        // the feedback join co-partitions the queues with llm-feedback: one count for every request-id-keyed topic
        assertThat(keyedPartitions).containsExactly(8);
    }

    // (b)
    @Test
    void compose_creates_the_registry_s_topics() throws IOException {
        JsonNode topics = compose().at("/services/topics");
        JsonNode env = topics.path("environment");

        Set<String> deleted = words(env.path("DELETE_TOPICS").asText());
        Set<String> compacted = words(env.path("COMPACTED_TOPICS").asText());

        assertThat(compacted).containsExactly(Topics.DEFAULT.routerModels().name());
        assertThat(deleted).doesNotContainAnyElementsOf(compacted);
        Set<String> all = new TreeSet<>(deleted);
        all.addAll(compacted);
        assertThat(all).isEqualTo(registry());
        String script = topics.at("/command/0").asText();
        assertThat(script)
                .contains("for topic in $$DELETE_TOPICS", "--config cleanup.policy=delete")
                .contains("for topic in $$COMPACTED_TOPICS", "--partitions 1 --config cleanup.policy=compact")
                .contains("--config max.message.bytes=16777216");
    }

    // (c) and (d) for router-stream
    @Test
    void router_stream_configs_load_and_match_the_reference() throws IOException {
        Properties reference = properties(Files.readString(ETC.resolve(ReferenceConfig.ROUTER_STREAM)));
        Map<String, String> configs = Map.of(
                COMPOSE_BROKER, Files.readString(DEPLOY.resolve("config/router-stream.properties")),
                STRIMZI_BROKER, configMap("router-stream-config", ReferenceConfig.ROUTER_STREAM));

        configs.forEach((broker, text) -> {
            Properties props = properties(text);
            assertThatCode(() -> RouterStreamSettings.fromProperties(props)).doesNotThrowAnyException();
            assertThat(unknownKafkaKeys(props)).isEmpty();
            assertThat(changed(flat(reference), flat(props))).isSubsetOf(PROPERTIES_MAY_CHANGE);
            assertThat(props.getProperty("bootstrap.servers")).isEqualTo(broker);
        });
    }

    // (c) and (d) for the retrainer
    @Test
    void retrainer_configs_load_and_match_the_reference() throws IOException {
        Properties reference = properties(Files.readString(ETC.resolve(ReferenceConfig.RETRAINER)));
        Map<String, String> configs = Map.of(
                COMPOSE_BROKER, Files.readString(DEPLOY.resolve("config/retrainer.properties")),
                STRIMZI_BROKER, configMap("retrainer-config", ReferenceConfig.RETRAINER));

        configs.forEach((broker, text) -> {
            Properties props = properties(text);
            assertThatCode(() -> RetrainerConfig.fromProperties(props)).doesNotThrowAnyException();
            assertThat(unknownKafkaKeys(props)).isEmpty();
            assertThat(changed(flat(reference), flat(props))).isSubsetOf(PROPERTIES_MAY_CHANGE);
            assertThat(props.getProperty("bootstrap.servers")).isEqualTo(broker);
        });
    }

    // (c) and (d) for the batch gateway: the broker, and listening on every interface of its container
    @Test
    void batch_gateway_configs_load_and_match_the_reference() throws IOException {
        JsonNode reference = YAML.readTree(Files.readString(ETC.resolve("batch-gateway.yaml")));
        Map<String, String> configs = Map.of(
                COMPOSE_BROKER, Files.readString(DEPLOY.resolve("config/batch-gateway.yaml")),
                STRIMZI_BROKER, configMap("batch-gateway-config", "batch-gateway.yaml"));

        configs.forEach((broker, text) -> {
            BatchGatewayConfig config = BatchGatewayConfig.parse(text);
            assertThat(changed(flat(reference), flat(yaml(text)))).isSubsetOf(Set.of("bootstrap_servers", "host"));
            assertThat(config.bootstrapServers()).isEqualTo(broker);
            assertThat(config.host()).isEqualTo("0.0.0.0");
        });
    }

    // (c) and (d) for the workers: the broker, and both tiers on the replay endpoint of the same deployment
    @Test
    void workers_configs_load_and_match_the_reference() throws IOException {
        JsonNode reference = YAML.readTree(Files.readString(ETC.resolve(ReferenceConfig.WORKERS)));
        String replayPort = composeCommandOption("replay-llm", "--port");
        assertThat(k8sService("replay-llm").at("/spec/ports/0/port").asText()).isEqualTo(replayPort);
        record Deployed(String text, String broker, String replay) {}
        List<Deployed> configs = List.of(
                new Deployed(
                        Files.readString(DEPLOY.resolve("config/llm-workers.yaml")),
                        COMPOSE_BROKER,
                        "http://replay-llm:" + replayPort),
                new Deployed(
                        configMap("llm-workers-config", ReferenceConfig.WORKERS),
                        STRIMZI_BROKER,
                        "http://replay-llm.kroute.svc:" + replayPort));

        for (Deployed deployed : configs) {
            WorkerConfig config = WorkerConfigLoader.parse(deployed.text());
            assertThat(changed(flat(reference), flat(yaml(deployed.text())))).isSubsetOf(WORKERS_MAY_CHANGE);
            assertThat(config.bootstrapServers()).isEqualTo(deployed.broker());
            assertThat(config.strong().baseUrl()).isEqualTo(deployed.replay());
            assertThat(config.weak().baseUrl()).isEqualTo(deployed.replay());
            // no key is sent to the replay endpoint, whatever the environment holds
            assertThat(config.strong().apiKeyEnv()).isNullOrEmpty();
            assertThat(config.weak().apiKeyEnv()).isNullOrEmpty();
        }
    }

    // (e)
    @Test
    void deployments_probe_health_on_the_ops_port_and_outlast_their_shutdown() throws IOException {
        List<JsonNode> deployments = k8s("Deployment");
        assertThat(deployments)
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("router-stream", "llm-workers", "retrainer", "replay-llm", "batch-gateway");

        for (JsonNode deployment : deployments) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            List<String> args = strings(container.path("args"));
            int port = name.equals("replay-llm") ? Integer.parseInt(option(args, "--port")) : opsPort(name, pod, args);

            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/path").asText())
                        .as(name + " " + probe)
                        .isEqualTo("/health");
                assertThat(container.at("/" + probe + "/httpGet/port").asInt())
                        .as(name + " " + probe)
                        .isEqualTo(port);
            }
            assertThat(container.findValuesAsText("containerPort")).as(name).contains(Integer.toString(port));
            JsonNode service = k8sService(name);
            assertThat(service.at("/spec/ports/0/port").asInt()).as(name).isEqualTo(port);
            if (!name.equals("replay-llm")) {
                assertThat(service.at("/metadata/annotations/prometheus.io~1scrape")
                                .asText())
                        .isEqualTo("true");
                assertThat(service.at("/metadata/annotations/prometheus.io~1port")
                                .asInt())
                        .isEqualTo(port);
            }
        }
        WorkerConfig workers = WorkerConfigLoader.parse(configMap("llm-workers-config", ReferenceConfig.WORKERS));
        JsonNode workersPod = deployment(deployments, "llm-workers").at("/spec/template/spec");
        assertThat(workersPod.path("terminationGracePeriodSeconds").asLong() * 1000)
                .isGreaterThan(workers.shutdownTimeoutMs());
        assertThat(workersPod.findValuesAsText("fieldPath")).containsExactly("metadata.name");
        // Kafka Streams is given 30 s to close
        assertThat(deployment(deployments, "router-stream")
                        .at("/spec/template/spec/terminationGracePeriodSeconds")
                        .asInt())
                .isGreaterThan(30);
    }

    // (e) for compose: healthchecks on the ops port of the mounted config, the workers' stop grace period
    @Test
    void compose_services_check_health_on_the_ops_port_of_their_config() throws IOException {
        JsonNode services = compose().path("services");
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("router-stream", opsPort(Files.readString(DEPLOY.resolve("config/router-stream.properties"))));
        ports.put("retrainer", opsPort(Files.readString(DEPLOY.resolve("config/retrainer.properties"))));
        WorkerConfig workers = WorkerConfigLoader.parse(Files.readString(DEPLOY.resolve("config/llm-workers.yaml")));
        ports.put("llm-workers", workers.metricsPort());
        ports.put("replay-llm", Integer.parseInt(composeCommandOption("replay-llm", "--port")));
        ports.put(
                "batch-gateway",
                BatchGatewayConfig.parse(Files.readString(DEPLOY.resolve("config/batch-gateway.yaml")))
                        .port());

        ports.forEach((name, port) -> {
            JsonNode service = services.path(name);
            assertThat(strings(service.at("/healthcheck/test")))
                    .as(name)
                    .contains("http://localhost:" + port + "/health");
            List<String> command = strings(service.path("command"));
            if (command.contains("--config")) {
                String config = option(command, "--config");
                String file = Path.of(config).getFileName().toString();
                assertThat(strings(service.path("volumes")))
                        .as(name)
                        .contains("./config/" + file + ":" + config + ":ro");
            }
        });
        assertThat(seconds(services.at("/llm-workers/stop_grace_period").asText()) * 1000)
                .isGreaterThan(workers.shutdownTimeoutMs());
    }

    // (f)
    @Test
    void dashboard_metrics_are_read_from_its_promql() throws IOException {
        String share = "sum by (tier) (rate(kroute_router_routed_total{tier=\"strong\", router=~\"a|b\"}[5m]))"
                + " / ignoring(tier) group_left sum(rate(kroute_router_routed_total[$__rate_interval]))";
        String latency = "histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[1m])))"
                + " + max(y_seconds{quantile=\"0.99\"}) * 1e3 - z_seconds_sum offset 5m";
        String logic = "sum(rate(a_count[5m])) and on(instance) b_max > bool 0";

        assertThat(DashboardMetrics.namesIn(share)).containsExactly("kroute_router_routed_total");
        assertThat(DashboardMetrics.namesIn(latency))
                .containsExactlyInAnyOrder("x_seconds_bucket", "y_seconds", "z_seconds_sum");
        assertThat(DashboardMetrics.namesIn(logic)).containsExactlyInAnyOrder("a_count", "b_max");

        // what the dashboard reads; a new panel adds its names here, and the integration test scrapes them
        assertThat(DashboardMetrics.names(DashboardMetrics.dashboard()))
                .containsExactlyInAnyOrder(
                        "kroute_router_routed_total",
                        "kroute_router_threshold",
                        "kroute_router_score_seconds",
                        "kroute_router_dead_letters_total",
                        "kroute_llm_calls_seconds",
                        "kroute_llm_calls_seconds_count",
                        "kroute_llm_calls_seconds_sum",
                        "kroute_llm_errors_total",
                        "kroute_llm_retries_total",
                        "kroute_llm_cost_usd_total",
                        "kroute_llm_tokens_total",
                        "kroute_worker_outcomes_total",
                        "kroute_worker_in_flight",
                        "kroute_worker_uncommitted",
                        "kroute_worker_consumer_lag",
                        "resilience4j_circuitbreaker_state",
                        "kroute_retrainer_labels",
                        "kroute_retrainer_rounds",
                        "kroute_retrainer_promotions");
        assertThat(DashboardMetrics.names(DashboardMetrics.dashboard())).containsAll(DashboardMetrics.ON_FAILURE_ONLY);
    }

    // the image's entrypoint, with a stand-in for java that prints what it was given
    @Test
    void entrypoint_starts_the_named_main_and_sets_the_workers_instance_id(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        String workersConfig = DEPLOY.resolve("config/llm-workers.yaml").toString();

        Run workers = entrypoint(
                tmp, Map.of("KROUTE_INSTANCE_ID", "llm-workers-5d8f-x2k4q"), "workers", "--config", workersConfig);
        assertThat(workers.status()).isZero();
        Path copy = tmp.resolve("llm-workers.yaml");
        assertThat(workers.lines()).endsWith("io.kroute.workers.WorkerMain", "--config", copy.toString());
        assertThat(WorkerConfigLoader.parse(Files.readString(copy)))
                .isEqualTo(WorkerConfigLoader.parse(Files.readString(Path.of(workersConfig)))
                        .withInstanceId("llm-workers-5d8f-x2k4q"));

        Run stream = entrypoint(tmp, Map.of("KROUTE_COMPONENT", "router-stream"), "--config", "x.properties");
        assertThat(stream.lines()).endsWith("io.kroute.stream.RouterStreamMain", "--config", "x.properties");
        assertThat(entrypoint(tmp, Map.of(), "replay-llm", "--port", "8000").lines())
                .endsWith("io.kroute.replay.ReplayServerMain", "--port", "8000");
        assertThat(entrypoint(tmp, Map.of(), "batch-gateway", "--config", "g.yaml")
                        .lines())
                .endsWith("io.kroute.batch.BatchGatewayMain", "--config", "g.yaml");
        assertThat(entrypoint(tmp, Map.of(), "router").status()).isEqualTo(2);
        assertThat(entrypoint(tmp, Map.of("KROUTE_INSTANCE_ID", "a b"), "workers", "--config", workersConfig)
                        .status())
                .isEqualTo(2);
    }

    private record Run(int status, List<String> lines) {}

    private static Run entrypoint(Path tmp, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("/bin/sh", DEPLOY.resolve("entrypoint.sh").toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("KROUTE_COMPONENT");
        builder.environment().remove("KROUTE_INSTANCE_ID");
        builder.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output.lines().toList());
    }

    /** The pipeline's topics and the batch gateway's (which the gateway creates itself where no operator does). */
    private static Set<String> withBatchTopics(Set<String> pipeline) {
        Set<String> all = new TreeSet<>(pipeline);
        all.addAll(List.of(BATCH.files(), BATCH.events(), BATCH.jobs()));
        return all;
    }

    private static Set<String> registry() {
        return Topics.DEFAULT.all().stream().map(Topic::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Keys outside kroute.* that neither Kafka Streams nor its clients know (a typo would pass to Kafka silently). */
    private static Set<String> unknownKafkaKeys(Properties props) {
        Set<String> known = new TreeSet<>(StreamsConfig.configDef().names());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(ProducerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        List<String> prefixes = List.of(
                StreamsConfig.MAIN_CONSUMER_PREFIX,
                StreamsConfig.RESTORE_CONSUMER_PREFIX,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX,
                StreamsConfig.CONSUMER_PREFIX,
                StreamsConfig.PRODUCER_PREFIX,
                StreamsConfig.ADMIN_CLIENT_PREFIX,
                StreamsConfig.TOPIC_PREFIX);
        return props.stringPropertyNames().stream()
                .filter(key -> !key.startsWith("kroute."))
                .filter(key -> !known.contains(key) && prefixes.stream().noneMatch(key::startsWith))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The keys whose values differ between two flattened configs, or that only one has. */
    private static Set<String> changed(Map<String, String> reference, Map<String, String> deployed) {
        Set<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(deployed.keySet());
        keys.removeIf(key -> Objects.equals(reference.get(key), deployed.get(key)));
        return keys;
    }

    private static Map<String, String> flat(Properties props) {
        Map<String, String> flat = new HashMap<>();
        props.stringPropertyNames()
                .forEach(key -> flat.put(key, props.getProperty(key).trim()));
        return flat;
    }

    /** A YAML tree as dotted paths to leaf values ({@code strong.circuit_breaker.sliding_window_size}). */
    private static Map<String, String> flat(JsonNode tree) {
        Map<String, String> flat = new HashMap<>();
        flatten("", tree, flat);
        return flat;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> flat) {
        if (node.isObject() && !node.isEmpty()) {
            node.properties()
                    .forEach(f -> flatten(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), flat));
        } else {
            flat.put(path, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static int opsPort(String propertiesText) {
        return Integer.parseInt(properties(propertiesText).getProperty("kroute.metrics.port"));
    }

    /** The ops port of a Kafka component's pod: from the ConfigMap mounted where its --config points. */
    private static int opsPort(String name, JsonNode pod, List<String> args) throws IOException {
        Path config = Path.of(option(args, "--config"));
        JsonNode mount = pod.at("/containers/0/volumeMounts/0");
        assertThat(mount.path("mountPath").asText())
                .as(name)
                .isEqualTo(config.getParent().toString());
        JsonNode volume = pod.at("/volumes/0");
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        String text = configMap(
                volume.at("/configMap/name").asText(), config.getFileName().toString());
        if (name.equals("batch-gateway")) {
            return BatchGatewayConfig.parse(text).port();
        }
        return name.equals("llm-workers") ? WorkerConfigLoader.parse(text).metricsPort() : opsPort(text);
    }

    private static String option(List<String> args, String option) {
        int at = args.indexOf(option);
        assertThat(at).as(option + " in " + args).isNotNegative();
        return args.get(at + 1);
    }

    private static String composeCommandOption(String service, String option) throws IOException {
        return option(strings(compose().at("/services/" + service + "/command")), option);
    }

    private static long seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    private static JsonNode compose() throws IOException {
        return YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
    }

    /** Every document of the given kind in ops/deploy/k8s. */
    private static List<JsonNode> k8s(String kind) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : YAML.readerFor(JsonNode.class)
                        .<JsonNode>readValues(file.toFile())
                        .readAll()) {
                    if (doc != null && doc.path("kind").asText().equals(kind)) {
                        found.add(doc);
                    }
                }
            }
        }
        return found;
    }

    private static JsonNode k8sService(String name) throws IOException {
        return k8s("Service").stream()
                .filter(s -> s.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + name));
    }

    private static JsonNode deployment(List<JsonNode> deployments, String name) {
        return deployments.stream()
                .filter(d -> d.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String configMap(String name, String file) throws IOException {
        JsonNode map = k8s("ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
        assertThat(map.path("data").has(file)).as(name + " holds " + file).isTrue();
        return map.path("data").path(file).asText();
    }

    private static Properties properties(String text) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return props;
    }

    private static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(item.asText()));
        return strings;
    }

    private static Set<String> words(String text) {
        return new TreeSet<>(Arrays.asList(text.trim().split("\\s+")));
    }
}
