package io.kroute.demo;

import io.kroute.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ops/run kafka [--partitions N]}: a local KRaft broker with every topic created, until Ctrl-C. For running the
 * components one by one against a real broker without installing Kafka.
 */
public final class LocalKafkaMain {

    private LocalKafkaMain() {}

    public static void main(String[] args) throws Exception {
        int partitions = 4;
        if (args.length == 2 && args[0].equals("--partitions")) {
            try {
                partitions = Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                partitions = -1;
            }
        }
        if ((args.length != 0 && args.length != 2) || partitions < 1) {
            System.err.println("kafka: usage: ops/run kafka [--partitions N] (N >= 1)");
            System.exit(2);
        }
        LocalKafkaBroker broker = LocalKafkaBroker.start(Duration.ofSeconds(90));
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.createAll(admin, Topics.DEFAULT, partitions, (short) 1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "kafka-shutdown"));
        System.out.println("bootstrap.servers=" + broker.bootstrapServers());
        System.out.println("topics created with " + partitions + " partitions; broker log: " + broker.logFile());
        System.out.println("Ctrl-C stops the broker and deletes its data.");
        stopped.await();
    }
}
