package io.kroute.testkafka;

import io.kroute.schemas.KafkaConnection;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The official Kafka image in KRaft mode, through Testcontainers' Kafka module, where a Docker engine runs. The image
 * is {@code apache/kafka} at the version of the Kafka clients ({@code -Dkroute.test.kafka.image} names another).
 */
final class ContainerKafka implements TestKafka {

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    static ContainerKafka start() {
        String image = System.getProperty(
                "kroute.test.kafka.image", "apache/kafka:" + org.apache.kafka.common.utils.AppInfoParser.getVersion());
        KafkaContainer container = new KafkaContainer(image)
                // One broker: internal topics need a single replica, or groups and transactions hang.
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new ContainerKafka(container);
    }

    @Override
    public KafkaConnection connection() {
        return KafkaConnection.to(container.getBootstrapServers());
    }

    @Override
    public String backend() {
        return "container";
    }

    @Override
    public void close() {
        container.stop();
    }
}
