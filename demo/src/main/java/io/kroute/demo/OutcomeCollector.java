package io.kroute.demo;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.Provenance;
import io.kroute.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the responses and dead-letter topics with {@code read_committed}, as a user's consumer would, and keeps the
 * outcome of each request id. A second outcome for an id is counted as a duplicate, never silently merged. It also
 * counts, from kroute's provenance headers, which router-stream instance routed each prompt and which process wrote
 * each outcome.
 */
public final class OutcomeCollector implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Integer> duplicates = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final Map<String, Long> routedBy = new ConcurrentHashMap<>();
    private final Map<String, Long> answeredBy = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    public OutcomeCollector(String bootstrapServers, Topics topics) {
        this(KafkaConnection.to(bootstrapServers), topics);
    }

    public OutcomeCollector(KafkaConnection connection, Topics topics) {
        this.topics = topics;
        Map<String, Object> config = KafkaClientConfigs.committedReader(connection);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        // Assigned, not subscribed: a group member that rejoins (e.g. after a broker restart) is repositioned from its
        // committed offsets, which a reader that never commits does not have, so it would read everything again.
        List<TopicPartition> partitions = new ArrayList<>();
        // The queues too: their headers say which router-stream instance routed each prompt.
        for (String topic : List.of(
                topics.responses().name(),
                topics.deadLetters().name(),
                topics.strongQueue().name(),
                topics.weakQueue().name())) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(60))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        this.consumer.assign(partitions);
        this.consumer.seekToBeginning(partitions);
        this.poller = new Thread(this::pollLoop, "outcome-collector");
        this.poller.setDaemon(true);
        this.poller.start();
    }

    private void pollLoop() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    accept(record);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        String router = Provenance.read(record.headers(), Provenance.ROUTER_INSTANCE);
        if (record.topic().equals(topics.strongQueue().name())
                || record.topic().equals(topics.weakQueue().name())) {
            routedBy.merge(router == null ? "unnamed" : router, 1L, Long::sum);
            return;
        }
        String worker = Provenance.read(record.headers(), Provenance.WORKER_INSTANCE);
        answeredBy.merge(worker != null ? worker : router != null ? router : "unnamed", 1L, Long::sum);
        long now = System.currentTimeMillis();
        Outcome outcome;
        String id;
        try {
            if (record.topic().equals(topics.responses().name())) {
                LlmResponse response = Codecs.LLM_RESPONSE.decode(record.value());
                id = response.requestId();
                outcome = new Outcome(response, null, now);
            } else {
                DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
                id = letter.key() != null ? letter.key() : record.key();
                outcome = new Outcome(null, letter, now);
            }
        } catch (InvalidMessageException e) {
            unreadable.incrementAndGet();
            return;
        }
        if (id == null) {
            unreadable.incrementAndGet();
            return;
        }
        if (outcomes.putIfAbsent(id, outcome) != null) {
            duplicates.merge(id, 1, Integer::sum);
        }
    }

    /**
     * Waits until every id has an outcome or the timeout passes.
     *
     * @param progress called about once a second with the number of ids accounted for
     * @return the ids still without an outcome (empty when all are accounted for)
     */
    public List<String> awaitAll(Set<String> ids, Duration timeout, Consumer<Integer> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextReport = 0;
        while (true) {
            int done = 0;
            for (String id : ids) {
                if (outcomes.containsKey(id)) {
                    done++;
                }
            }
            long now = System.nanoTime();
            if (done == ids.size() || now > deadline) {
                progress.accept(done);
                List<String> missing = new ArrayList<>();
                for (String id : ids) {
                    if (!outcomes.containsKey(id)) {
                        missing.add(id);
                    }
                }
                return missing;
            }
            if (now >= nextReport) {
                progress.accept(done);
                nextReport = now + 1_000_000_000L;
            }
            Thread.sleep(50);
        }
    }

    /** Keeps reading for a while after the last expected outcome, so late duplicates are seen too. */
    public void drain(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet.toMillis());
    }

    /** How many request ids have an outcome, without copying them. */
    public int count() {
        return outcomes.size();
    }

    public Map<String, Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }

    public Map<String, Integer> duplicates() {
        return Map.copyOf(duplicates);
    }

    /** Prompts routed, by the router-stream instance that routed them. */
    public Map<String, Long> routedBy() {
        return Map.copyOf(routedBy);
    }

    /** Outcomes, by the process that wrote them (a worker, or a router-stream for its dead letters). */
    public Map<String, Long> answeredBy() {
        return Map.copyOf(answeredBy);
    }

    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poller.join(10_000);
    }
}
