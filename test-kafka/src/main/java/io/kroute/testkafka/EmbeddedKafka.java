package io.kroute.testkafka;

import io.kroute.schemas.KafkaConnection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft cluster in this JVM, from Kafka's own test kit. */
final class EmbeddedKafka implements TestKafka {

    private final KafkaClusterTestKit cluster;
    private final KafkaConnection connection;

    private EmbeddedKafka(KafkaClusterTestKit cluster, KafkaConnection connection) {
        this.cluster = cluster;
        this.connection = connection;
    }

    /** @param sasl only SASL/PLAIN logins, with an authorizer; the test kit's admin user is a super user */
    static EmbeddedKafka start(boolean sasl) throws Exception {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1);
        if (sasl) {
            nodes.setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                    .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT);
        }
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes.build())
                // One broker: internal topics need a single replica, or groups and transactions hang.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", cluster.bootstrapServers());
        if (sasl) {
            settings.put("security.protocol", "SASL_PLAINTEXT");
            settings.put("sasl.mechanism", "PLAIN");
            settings.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + JaasUtils.KAFKA_PLAIN_ADMIN + "\" password=\"" + JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD
                            + "\";");
        }
        return new EmbeddedKafka(cluster, new KafkaConnection(settings));
    }

    @Override
    public KafkaConnection connection() {
        return connection;
    }

    @Override
    public String backend() {
        return "embedded";
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
