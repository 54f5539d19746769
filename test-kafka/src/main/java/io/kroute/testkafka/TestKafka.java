package io.kroute.testkafka;

import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.testcontainers.DockerClientFactory;

/**
 * A real Kafka cluster for an integration test: Testcontainers' Kafka where a Docker engine answers, the in-JVM KRaft
 * cluster of Kafka's test kit where none does (these machines). The same test class runs on either; nothing is skipped
 * for want of Docker. {@code -Dkroute.test.kafka=embedded|container} forces one.
 */
public interface TestKafka extends AutoCloseable {

    /** Where clients connect, with whatever settings the cluster demands (SASL for {@link #secured()}). */
    KafkaConnection connection();

    /** {@code container} or {@code embedded}, for the test's log. */
    String backend();

    default String bootstrapServers() {
        return connection().bootstrapServers();
    }

    /** Every topic of the registry, as a deployment creates them. */
    default void createTopics(Topics topics, int partitions) throws Exception {
        try (Admin admin = Admin.create(connection().clientConfig())) {
            TopicProvisioner.createAll(admin, topics, partitions, (short) 1);
        }
    }

    @Override
    void close() throws Exception;

    /** A fresh single-node cluster, closed by the caller. */
    static TestKafka start() throws Exception {
        return useContainer() ? ContainerKafka.start() : EmbeddedKafka.start(false);
    }

    /**
     * One cluster shared by every test of this JVM that does not stop or restart it (tests keep apart by topic
     * prefix); started on first use, closed when the JVM exits.
     */
    static TestKafka shared() {
        return SharedKafka.get();
    }

    /** A cluster that takes only SASL/PLAIN logins, with an authorizer (in-JVM: the test kit sets it up). */
    static TestKafka secured() throws Exception {
        return EmbeddedKafka.start(true);
    }

    private static boolean useContainer() {
        String forced = System.getProperty("kroute.test.kafka", "");
        if (forced.equals("embedded")) {
            return false;
        }
        if (forced.equals("container")) {
            return true;
        }
        boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        String host = System.getenv("DOCKER_HOST");
        if (!socket && (host == null || host.isBlank())) {
            return false; // no engine to ask: do not start Testcontainers' discovery at all
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            // Testcontainers' discovery fails in many ways where no engine runs (a ServiceConfigurationError among
            // them)
            return false;
        }
    }
}
