package io.kroute.runtime;

import io.kroute.schemas.Topic;
import io.kroute.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates every topic of the registry that does not exist yet; router models are compacted, the rest deleted; with
 * three replicas a write needs two in sync.
 */
public final class TopicProvisioner {

    /** How long a created topic may take to appear in the broker's metadata before provisioning gives up. */
    private static final int LISTED_WITHIN_S = 30;

    private TopicProvisioner() {}

    public static void createAll(Admin admin, Topics topics, int partitions, short replication)
            throws ExecutionException, InterruptedException, TimeoutException {
        create(admin, topics, topics.all(), partitions, replication);
    }

    private static void create(Admin admin, Topics topics, List<Topic<?, ?>> wanted, int partitions, short replication)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : wanted) {
            if (existing.contains(topic.name())
                    || missing.stream().anyMatch(t -> t.name().equals(topic.name()))) {
                continue;
            }
            boolean compacted = topic.name().equals(topics.routerModels().name());
            // Router artifacts travel inline up to 16 MiB; larger ones travel by a checksum-verified location.
            Map<String, String> configs = new HashMap<>();
            configs.put(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
            if (compacted) {
                configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
            }
            // With three copies, a write needs two: one broker can be lost without losing or refusing a record.
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, replication)));
            missing.add(new NewTopic(topic.name(), compacted ? 1 : partitions, replication).configs(configs));
        }
        createAndAwait(admin, missing);
    }

    /**
     * Creates the topics and returns once the broker lists them. The controller answers a create once it has
     * committed the topics; the broker asked next may not have applied that metadata yet, and callers start clients
     * right after creating. A topic another instance created first (two starting at once) is not a failure.
     */
    public static void createAndAwait(Admin admin, List<NewTopic> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        for (KafkaFuture<Void> created : admin.createTopics(topics).values().values()) {
            try {
                created.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitListed(admin, topics.stream().map(NewTopic::name).toList());
    }

    private static void awaitListed(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LISTED_WITHIN_S);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(
                        "topics created but not listed by the broker after " + LISTED_WITHIN_S + " s: " + names);
            }
            Set<String> listed = admin.listTopics().names().get(left, TimeUnit.NANOSECONDS);
            List<String> absent =
                    names.stream().filter(name -> !listed.contains(name)).toList();
            if (absent.isEmpty()) {
                return;
            }
            names = absent;
            Thread.sleep(100);
        }
    }
}
