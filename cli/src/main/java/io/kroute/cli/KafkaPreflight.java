package io.kroute.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Asks the cluster, before any real work, whether it answers and has the topics. Without it a wrong address or a
 * missing topic shows as a producer or consumer retrying for a minute or more.
 */
final class KafkaPreflight {

    private KafkaPreflight() {}

    static Optional<String> problem(
            Map<String, Object> clientConfig, String bootstrapServers, Duration timeout, List<String> topicNames) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        String unreachable = "cannot reach Kafka at " + bootstrapServers + " within " + timeout.toSeconds() + " s";
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (RuntimeException e) {
            return Optional.of("cannot connect to Kafka at " + bootstrapServers + ": " + rootMessage(e));
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .clusterId()
                    .get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
            Map<String, KafkaFuture<TopicDescription>> topics = admin.describeTopics(
                            topicNames, new DescribeTopicsOptions().timeoutMs(timeoutMs))
                    .topicNameValues();
            for (String topic : topicNames) {
                try {
                    topics.get(topic).get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        return Optional.of("topic " + topic + " does not exist at " + bootstrapServers
                                + " (create the topics, or check --topic-prefix)");
                    }
                    throw e;
                }
            }
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of(unreachable);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                return Optional.of(unreachable);
            }
            return Optional.of("cannot use Kafka at " + bootstrapServers + ": " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while connecting to Kafka at " + bootstrapServers);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static String rootMessage(Throwable e) {
        return OneLine.of(OneLine.rootCause(e).getMessage());
    }
}
