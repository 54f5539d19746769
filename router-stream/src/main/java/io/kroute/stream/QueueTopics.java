package io.kroute.stream;

import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue topic of every configured model, created at start when missing: a many-model deployment's topics depend
 * on its configuration, so the router-stream that names them makes sure they exist (with the prompts topic's
 * partitions, three replicas where the cluster has them, two in sync for a write) instead of failing its first write.
 */
final class QueueTopics {

    private static final Logger LOG = LoggerFactory.getLogger(QueueTopics.class);

    private QueueTopics() {}

    static void ensure(Map<String, Object> client, Topics topics, List<ModelQueue> queues) {
        try (Admin admin = Admin.create(client)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            int partitions = existing.contains(topics.prompts().name())
                    ? admin.describeTopics(List.of(topics.prompts().name()))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topics.prompts().name())
                            .partitions()
                            .size()
                    : 1;
            short replication = (short) Math.min(
                    3, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            for (ModelQueue q : queues) {
                String name = topics.queue(q.queue()).name();
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, replication)
                            .configs(Map.of(
                                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                                    Integer.toString(Math.min(2, replication)))));
                }
            }
            if (!missing.isEmpty()) {
                TopicProvisioner.createAndAwait(admin, missing);
                LOG.info(
                        "created the queue topics {} ({} partitions, replication {})",
                        missing.stream().map(NewTopic::name).toList(),
                        partitions,
                        replication);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the models' queue topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the models' queue topics", e);
        }
    }
}
