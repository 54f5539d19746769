package io.kroute.batch.kafka;

import io.kroute.runtime.TopicProvisioner;
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
import org.apache.kafka.common.config.TopicConfig;

/**
 * The batch gateway's own topics, beside the pipeline's: uploaded files (compacted: a file is its chunks and its
 * description, and a deleted file is tombstones), the gateway's events (what it was asked: jobs, lines, cancels) and
 * the jobs (compacted: each job's latest state, for anyone to read).
 *
 * @param partitions of the events topic and of the ledger's re-keyed outcomes: one task per partition holds its jobs
 */
public record BatchTopics(String prefix, int partitions) {

    public static final String FILES = "llm-batch-files";
    public static final String EVENTS = "llm-batch-events";
    public static final String JOBS = "llm-batch-jobs";

    /** A file travels in chunks of this size: far below Kafka's default 1 MiB record limit. */
    public static final int CHUNK_BYTES = 512 * 1024;

    public BatchTopics {
        if (partitions < 1) {
            throw new IllegalArgumentException("ledger partitions must be at least 1, got " + partitions);
        }
    }

    public String files() {
        return prefix + FILES;
    }

    public String events() {
        return prefix + EVENTS;
    }

    public String jobs() {
        return prefix + JOBS;
    }

    /** Creates the topics that do not exist yet. */
    public void create(Admin admin, short replication)
            throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        String minInSync = Integer.toString(Math.min(2, replication));
        if (!existing.contains(files())) {
            missing.add(new NewTopic(files(), 1, replication)
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Integer.toString(CHUNK_BYTES + 64 * 1024),
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                            minInSync)));
        }
        if (!existing.contains(events())) {
            Map<String, String> configs = new HashMap<>();
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            // a job's lines must outlive the job: kept a week, the longest a 24 h job and its reading take
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(TimeUnit.DAYS.toMillis(7)));
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInSync);
            missing.add(new NewTopic(events(), partitions, replication).configs(configs));
        }
        if (!existing.contains(jobs())) {
            missing.add(new NewTopic(jobs(), partitions, replication)
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                            minInSync)));
        }
        TopicProvisioner.createAndAwait(admin, missing);
    }
}
