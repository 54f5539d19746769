package io.kroute.demo;

import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ops/run kafka [--port P] [--brokers N] [--partitions N]}: a local KRaft cluster with every topic created,
 * until Ctrl-C, on 127.0.0.1:9092 by default: where the reference configs in {@code etc/} point, so the components
 * run against it unchanged. For running the components one by one against a real broker without installing Kafka.
 */
public final class LocalKafkaMain {

    static final String USAGE =
            "usage: ops/run kafka [--port P (default 9092, 0 any)] [--brokers N (1 or 3)]" + " [--partitions N]";

    private LocalKafkaMain() {}

    public static void main(String[] args) throws Exception {
        int port = 9092;
        int brokers = 1;
        int partitions = 4;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (args[i].equals("-h") || args[i].equals("--help")) {
                    System.out.println(USAGE);
                    return; // nothing started yet: the JVM ends with 0
                }
                DemoOptions.checkValued(args, i, java.util.Set.of("--port", "--brokers", "--partitions"));
                switch (args[i]) {
                    case "--port" -> port = DemoOptions.intIn(args[i], args[i + 1], 0, 65_535);
                    case "--brokers" -> brokers = DemoOptions.intIn(args[i], args[i + 1], 1, 9);
                    case "--partitions" -> partitions = DemoOptions.intIn(args[i], args[i + 1], 1, 1_000);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("kafka: " + e.getMessage() + "; " + USAGE);
            System.exit(2);
            return;
        }
        LocalKafkaCluster cluster;
        try {
            cluster = LocalKafkaCluster.start(brokers, port, Duration.ofSeconds(120));
        } catch (IllegalArgumentException e) {
            System.err.println("kafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        short replication = (short) Math.min(3, brokers);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            TopicProvisioner.createAll(admin, Topics.DEFAULT, partitions, replication);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            cluster.close();
                            stopped.countDown();
                        },
                        "kafka-shutdown"));
        System.out.println("bootstrap.servers=" + cluster.bootstrapServers());
        System.out.println("topics created with " + partitions + " partitions, " + replication
                + " replica(s); logs and data: " + cluster.directory());
        System.out.println("Ctrl-C stops the cluster and deletes its data.");
        stopped.await();
    }
}
