package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.retrain.RetrainerApp;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.retrain.RouterPublisher;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.BrokerUnreachableException;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.Json;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every component and command on a cluster that only takes SASL/PLAIN logins (with an authorizer): the demo pipeline
 * (router-stream, workers and the demo's own clients) through {@code --command-config}, the retrainer, publishing and
 * rollback. Without the settings, the same address is refused in one line.
 */
@Tag("integration")
@Timeout(300)
class SecuredClusterIT {

    private static TestKafka cluster;
    private static KafkaConnection secured;

    @BeforeAll
    static void startSecuredCluster() throws Exception {
        cluster = TestKafka.secured();
        secured = cluster.connection();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void without_its_settings_the_cluster_is_refused_in_one_line() {
        assertThatThrownBy(() -> BrokerCheck.require(
                        KafkaConnection.to(cluster.bootstrapServers()).clientConfig(), Duration.ofSeconds(5)))
                .isInstanceOf(BrokerUnreachableException.class)
                .hasMessageStartingWith("cannot reach Kafka at " + cluster.bootstrapServers() + " within 5 s");
        BrokerCheck.require(secured.clientConfig(), Duration.ofSeconds(30));
    }

    @Test
    void the_demo_runs_every_component_through_command_config(@TempDir Path tmp) throws Exception {
        // given: the client settings in a file, as Kafka's tools take them
        Path commandConfig = tmp.resolve("client.properties");
        writeClientSettings(commandConfig);
        Path summary = tmp.resolve("summary.json");

        // when
        int exit = new DemoRun(DemoOptions.parse(new String[] {
                    "--prompts", "60",
                    "--bootstrap-servers", cluster.bootstrapServers(),
                    "--command-config", commandConfig.toString(),
                    "--timeout-s", "120",
                    "--out", summary.toString()
                }))
                .run();

        // then
        JsonNode report = Json.MAPPER.readTree(summary.toFile());
        assertThat(exit).as(report.toPrettyString()).isZero();
        assertThat(report.get("responses").asInt()).isEqualTo(60);
        assertThat(report.get("unaccounted").asInt()).isZero();
    }

    @Test
    void the_retrainer_publishes_and_rollback_puts_a_version_back(@TempDir Path tmp) throws Exception {
        // given: topics, and the retrainer's reference file with the connection's settings
        Topics topics = Topics.withPrefix("secured-" + UUID.randomUUID() + "-");
        try (Admin admin = Admin.create(secured.clientConfig())) {
            TopicProvisioner.createAll(admin, topics, 2, (short) 1);
        }
        Map<String, String> learning = new HashMap<>(secured.properties());
        learning.put("kroute.retrainer.work-dir", tmp.resolve("retrainer").toString());
        RetrainerConfig config = Pipeline.retrainerConfig(cluster.bootstrapServers(), topics, learning);

        // when: the retrainer runs, two versions are published and the first is rolled back to
        Path seed = Files.createDirectories(tmp.resolve("artifact"));
        Files.writeString(seed.resolve("seed"), "1");
        try (RetrainerApp retrainer = RetrainerApp.start(config);
                RouterPublisher publisher = new RouterPublisher(secured, topics)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!retrainer.health().up() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(retrainer.health().up()).as(retrainer.health().toJson()).isTrue();
            publisher.publish(RouterModel.inline("default", "v1", "random", seed, 1, "first"));
            publisher.publish(RouterModel.inline("default", "v2", "random", seed, 2, "second"));
        }
        Path commandConfig = tmp.resolve("client.properties");
        writeClientSettings(commandConfig);
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ChildJvm.classPathArgument(tmp, "rollback"),
                ChildJvm.loggingArgument(),
                "io.kroute.retrain.RollbackMain",
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--command-config",
                commandConfig.toString(),
                "--topic-prefix",
                topics.prefix(),
                "--to",
                "v1");
        Path output = tmp.resolve("rollback.out");
        Process rollback = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        // then
        assertThat(rollback.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(rollback.exitValue()).as(Files.readString(output)).isZero();
        assertThat(Files.readString(output)).contains("channel default now serves random v1");
    }

    private static void writeClientSettings(Path file) throws java.io.IOException {
        Properties settings = new Properties();
        secured.properties().forEach((key, value) -> {
            if (!key.equals("bootstrap.servers")) {
                settings.setProperty(key, value);
            }
        });
        try (Writer out = Files.newBufferedWriter(file)) {
            settings.store(out, "SASL/PLAIN");
        }
    }
}
