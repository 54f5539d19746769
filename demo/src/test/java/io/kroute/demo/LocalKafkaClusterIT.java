package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's cluster: child JVMs from the Maven Central jars, on loopback, gone with their files when closed; with
 * three nodes, one can die and the cluster still commits transactions.
 */
@Tag("integration")
@Timeout(300)
class LocalKafkaClusterIT {

    @Test
    void starts_serves_a_transactional_round_trip_and_cleans_up() throws Exception {
        Path logDir;
        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            logDir = broker.logFile().getParent();
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicProvisioner.createAll(admin, Topics.DEFAULT, 2, (short) 1);
                assertThat(admin.listTopics().names().get())
                        .containsAll(
                                Topics.DEFAULT.all().stream().map(t -> t.name()).toList());
                // a second instance starting at the same time creates the same topic: not a failure
                TopicProvisioner.createAndAwait(admin, List.of(new NewTopic(Topics.RESPONSES, 2, (short) 1)));
            }

            // Transactions need the single-replica transaction log the broker is configured with.
            Properties producerProps = new Properties();
            producerProps.put("bootstrap.servers", broker.bootstrapServers());
            producerProps.put("transactional.id", "broker-it");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.RESPONSES, "k", "v"));
                producer.commitTransaction();
            }
            Map<String, Object> consumerProps = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "broker-it",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.RESPONSES));
                ConsumerRecord<String, String> seen = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        seen = record;
                    }
                }
                assertThat(seen).isNotNull();
                assertThat(seen.value()).isEqualTo("v");
            }
        }
        assertThat(Files.exists(logDir)).as("broker directory removed").isFalse();
    }

    @Test
    void three_nodes_keep_taking_transactions_while_one_is_killed_and_it_rejoins() throws Exception {
        try (LocalKafkaCluster cluster = LocalKafkaCluster.start(3, 0, Duration.ofSeconds(120))) {
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
            // below the system's outgoing ports, so no connection's own end takes a node's port while it is down
            assertThat(cluster.bootstrapServers().split(","))
                    .allSatisfy(address -> assertThat(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))
                            .isBetween(20_000, 31_999));
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                TopicProvisioner.createAll(admin, Topics.DEFAULT, 2, (short) 3);
                assertThat(replicasOfFirstPartition(admin, Topics.RESPONSES)).isEqualTo(3);
            }

            // when: node 2 dies without a clean shutdown
            cluster.kill(2);

            // then: a transaction commits with two of three replicas (min.insync.replicas 2), and a reader sees it
            Properties producerProps = new Properties();
            producerProps.put("bootstrap.servers", cluster.bootstrapServers());
            producerProps.put("transactional.id", "cluster-it");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.RESPONSES, "k", "without node 2"));
                producer.commitTransaction();
            }
            assertThat(readOne(cluster.bootstrapServers())).isEqualTo("without node 2");

            // and: the node comes back with its data
            cluster.startAgain(2, Duration.ofSeconds(120));
        }
    }

    /** A topic just created is not known to every node at once: ask again until one answers. */
    private static int replicasOfFirstPartition(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .get(0)
                        .replicas()
                        .size();
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static String readOne(String bootstrapServers) {
        Map<String, Object> consumerProps = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "cluster-it",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.RESPONSES));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("nothing to read");
    }
}
