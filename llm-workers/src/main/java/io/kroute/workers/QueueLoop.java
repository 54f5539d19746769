package io.kroute.workers;

import io.kroute.schemas.Provenance;
import io.kroute.schemas.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consume-transform-produce for one queue, on a thread of its own that owns a plain {@link KafkaConsumer} and a
 * transactional {@link KafkaProducer}. Records are handed to a Vert.x context for the LLM calls; their outcomes come
 * back through a queue. Every {@code commit_interval_ms}, one transaction writes the outcomes of each partition's
 * finished prefix and commits the offsets after them with {@code sendOffsetsToTransaction(offsets, groupMetadata())}
 * (KIP-447: a worker that lost its partitions in a rebalance is fenced by the group generation). So a
 * {@code read_committed} consumer of the responses and dead letters sees each record's outcome once: either the
 * transaction committed, with the offset, or it did not and the record is read again.
 *
 * <p>Back-pressure: at most {@code max_in_flight} records are taken and not committed; the consumer pauses its
 * partitions before a poll could exceed that and resumes as transactions commit. It keeps polling while paused, so
 * it stays in its group however long a call takes.
 *
 * <p>Why a plain client on its own thread rather than vertx-kafka-client: the transactional producer needs the
 * consumer's {@code groupMetadata()}, and the commit of a revoked partition's finished prefix has to happen inside
 * {@code onPartitionsRevoked}, before the rebalance completes; both need the consumer's own thread.
 */
final class QueueLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueLoop.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private record Completion(PartitionProgress progress, long offset, Outcome outcome) {}

    private final WorkerConfig config;
    private final String queue;
    private final Context context;
    private final Function<QueueRecord, Future<Outcome>> processor;
    private final WorkerMetrics metrics;
    private final String topic;
    private final String responsesTopic;
    private final String deadLettersTopic;
    private final int maxInFlight;
    private final int maxPollRecords;
    private final String transactionalId;
    private final byte[] instanceHeader;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger uncommitted = new AtomicInteger();
    private final AtomicLong lag = new AtomicLong();
    private final Promise<Void> subscribed = Promise.promise();
    private final Promise<Void> stopped = Promise.promise();

    private volatile boolean stopRequested;
    private volatile boolean consuming;
    private volatile long stopDeadlineNanos;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    private boolean paused;
    private long lastCommitNanos = System.nanoTime();

    QueueLoop(
            WorkerConfig config,
            String queue,
            Context context,
            Function<QueueRecord, Future<Outcome>> processor,
            WorkerMetrics metrics) {
        this.config = config;
        this.queue = queue;
        this.context = context;
        this.processor = processor;
        this.metrics = metrics;
        Topics topics = Topics.withPrefix(config.topicPrefix());
        this.topic = topics.queue(queue).name();
        this.responsesTopic = topics.responses().name();
        this.deadLettersTopic = topics.deadLetters().name();
        this.maxInFlight = config.queue(queue).maxInFlight();
        this.maxPollRecords = KafkaClientSettings.maxPollRecords(maxInFlight);
        String instance = config.instanceId().isBlank() ? UUID.randomUUID().toString() : config.instanceId();
        this.transactionalId = config.consumerGroup(queue) + "-" + instance;
        this.instanceHeader = Provenance.value(instance);
        metrics.queueGauges(queue, inFlight::get, uncommitted::get, lag::get);
    }

    /** Completes once the consumer has subscribed and the producer is ready for transactions. */
    Future<Void> subscribed() {
        return subscribed.future();
    }

    /** Completes when the loop has committed what it could and closed its clients. */
    Future<Void> stopped() {
        return stopped.future();
    }

    /**
     * Stops taking records; calls in flight get until the deadline to finish, the finished prefixes are committed,
     * and the rest is handed back (uncommitted, so the partitions' next owner reads it again).
     */
    void stop(long timeoutMs) {
        stopDeadlineNanos = System.nanoTime() + timeoutMs * 1_000_000;
        stopRequested = true;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void run() {
        try {
            producer = newProducer();
            consumer = new KafkaConsumer<>(KafkaClientSettings.consumer(config, queue));
            consumer.subscribe(List.of(topic), new Rebalance());
            consuming = true;
            subscribed.tryComplete();
            LOG.info(
                    "{} worker consuming {} with {} at {} (max {} in flight, transactional.id {})",
                    queue,
                    topic,
                    config.queue(queue).model(),
                    config.queue(queue).baseUrl(),
                    maxInFlight,
                    transactionalId);
            loop();
        } catch (RuntimeException e) {
            LOG.error("{} worker stopped on an error", queue, e);
            subscribed.tryFail(e);
        } finally {
            consuming = false;
            close();
        }
    }

    /** Whether the loop is subscribed and has not stopped (on request or on an error). */
    boolean consuming() {
        return consuming;
    }

    private void loop() {
        while (true) {
            drainCompletions();
            if (System.nanoTime() - lastCommitNanos >= config.commitIntervalMs() * 1_000_000) {
                commit(partitions.keySet());
            }
            if (stopRequested) {
                pauseAll();
                if (inFlight.get() == 0 || System.nanoTime() > stopDeadlineNanos) {
                    drainCompletions();
                    commit(partitions.keySet());
                    if (inFlight.get() > 0) {
                        LOG.warn(
                                "{} worker stopping with {} calls in flight; their records are handed back",
                                queue,
                                inFlight.get());
                    }
                    return;
                }
            } else {
                applyBackPressure();
            }
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                dispatch(records);
            }
            updateLag();
        }
    }

    private void dispatch(ConsumerRecords<String, byte[]> records) {
        List<QueueRecord> batch = new ArrayList<>(records.count());
        List<PartitionProgress> owners = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            PartitionProgress progress = partitions.get(new TopicPartition(record.topic(), record.partition()));
            if (progress == null) {
                continue; // revoked meanwhile: not taken, so read again by the new owner
            }
            progress.taken(record.offset());
            batch.add(
                    new QueueRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
            owners.add(progress);
        }
        inFlight.addAndGet(batch.size());
        uncommitted.addAndGet(batch.size());
        context.runOnContext(v -> {
            for (int i = 0; i < batch.size(); i++) {
                QueueRecord record = batch.get(i);
                PartitionProgress owner = owners.get(i);
                processor.apply(record).onComplete(ar -> {
                    inFlight.decrementAndGet();
                    // process() never fails; an outcome is always there
                    completions.add(new Completion(owner, record.offset(), ar.result()));
                });
            }
        });
    }

    private void drainCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            // an outcome for a partition revoked or rewound since is dropped: its record is read again
            if (partitions.containsValue(completion.progress())) {
                completion.progress().finished(completion.offset(), completion.outcome());
            }
        }
    }

    private void applyBackPressure() {
        boolean full = countUncommitted() + maxPollRecords > maxInFlight;
        if (full && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (!full && paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void pauseAll() {
        consumer.pause(consumer.assignment());
        paused = true;
    }

    private int countUncommitted() {
        int total = 0;
        for (PartitionProgress progress : partitions.values()) {
            total += progress.uncommitted();
        }
        uncommitted.set(total);
        return total;
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong partitionLag = consumer.currentLag(partition);
            total += partitionLag.orElse(0);
        }
        lag.set(total);
    }

    /**
     * Commits the finished prefixes of {@code which}. An outcome the cluster refuses for what it is gets a small dead
     * letter in its place and the transaction is tried again at once; each try replaces one outcome at most and a
     * replacement is never replaced, so this ends.
     */
    private void commit(Collection<TopicPartition> which) {
        lastCommitNanos = System.nanoTime();
        boolean replaced;
        do {
            replaced = commitOnce(which);
        } while (replaced);
    }

    /**
     * One transaction with the outcomes of the finished prefixes of {@code which} and the offsets after them. Every
     * send is checked before the commit; returns whether a refused outcome was replaced (so it is worth trying again).
     */
    private boolean commitOnce(Collection<TopicPartition> which) {
        Map<TopicPartition, List<PartitionProgress.Finished>> ready = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int records = 0;
        for (TopicPartition partition : which) {
            List<PartitionProgress.Finished> prefix = partitions.get(partition).readyPrefix();
            if (!prefix.isEmpty()) {
                ready.put(partition, prefix);
                offsets.put(
                        partition,
                        new OffsetAndMetadata(prefix.get(prefix.size() - 1).offset() + 1));
                records += prefix.size();
            }
        }
        if (offsets.isEmpty()) {
            return false;
        }
        long start = System.nanoTime();
        try {
            producer.beginTransaction();
            Write failed = writeAll(ready);
            if (failed != null) {
                return refused(failed);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException
                | FencedInstanceIdException
                | OutOfOrderSequenceException
                | InvalidProducerEpochException
                | UnsupportedVersionException
                | AuthorizationException e) {
            metrics.transactionFailed(queue, "fatal");
            LOG.warn("{} worker: transaction failed for good ({}); starting over from the committed offsets", queue, e);
            restartFromCommitted(true);
            return false;
        } catch (KafkaException e) {
            metrics.transactionFailed(queue, "aborted");
            LOG.warn("{} worker: transaction failed ({}); aborting and trying again", queue, e.toString());
            abortOrRestart();
            // the outcomes are still held and the offsets uncommitted: the next tick tries them again, unless the
            // group generation moved on, in which case the rebalance drops them
            return false;
        }
        ready.forEach((partition, prefix) -> partitions.get(partition).committed(prefix.size()));
        countUncommitted();
        metrics.committed(queue, records, System.nanoTime() - start);
        return false;
    }

    /** One outcome's send in a transaction, and where its record came from. */
    private record Write(
            TopicPartition source,
            PartitionProgress.Finished finished,
            java.util.concurrent.Future<RecordMetadata> sent) {

        /** Why the send failed, or null; call once the producer was flushed (every send is then complete). */
        Throwable failure() {
            if (!sent.isDone()) {
                return null;
            }
            try {
                sent.get();
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted", e);
            }
        }
    }

    /**
     * Sends every outcome and waits until all are written or failed, so a failed send is found here, before anything
     * is committed, rather than as a transaction that cannot commit. Returns the first failed send, or null.
     */
    private Write writeAll(Map<TopicPartition, List<PartitionProgress.Finished>> ready) {
        List<Write> writes = new ArrayList<>();
        KafkaException sendError = null;
        try {
            ready.forEach((partition, prefix) -> {
                for (PartitionProgress.Finished finished : prefix) {
                    writes.add(new Write(partition, finished, producer.send(toRecord(finished.outcome()))));
                }
            });
        } catch (KafkaException e) {
            sendError = e; // e.g. the transaction already failed on an earlier send; that send says why
        }
        producer.flush();
        for (Write write : writes) {
            if (write.failure() != null) {
                return write;
            }
        }
        if (sendError != null) {
            throw sendError;
        }
        return null;
    }

    /**
     * A send failed: the transaction is aborted and the cause logged, once. An outcome refused for what it is (too
     * large for its topic, say) is replaced by a small dead letter, so its record is neither called again nor holding
     * up its partition; any other failure is left to the next tick, like a failed commit.
     */
    private boolean refused(Write write) {
        Throwable failure = write.failure();
        Outcome outcome = write.finished().outcome();
        String target = outcome.isResponse() ? responsesTopic : deadLettersTopic;
        boolean replace = RejectedOutcome.isTheOutcomesFault(failure) && !RejectedOutcome.isReplacement(outcome);
        metrics.transactionFailed(queue, replace ? "outcome_refused" : "send_failed");
        LOG.warn(
                "{} worker: {} could not write the outcome of {}-{}@{} ({} bytes): {}; transaction aborted, {}",
                queue,
                target,
                write.source().topic(),
                write.source().partition(),
                write.finished().offset(),
                outcome.value().length,
                failure.toString(),
                replace ? "the outcome is replaced by a dead letter saying why" : "trying again");
        abortOrRestart();
        if (replace && partitions.containsKey(write.source())) {
            partitions
                    .get(write.source())
                    .replace(
                            write.finished().offset(),
                            RejectedOutcome.replacement(
                                    outcome,
                                    target,
                                    write.source().topic(),
                                    write.source().partition(),
                                    write.finished().offset(),
                                    failure,
                                    System.currentTimeMillis()));
        }
        return replace;
    }

    /** Aborts the open transaction; one that cannot be aborted (its commit timed out) needs a new producer. */
    private void abortOrRestart() {
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailed) {
            // e.g. a commit that timed out cannot be aborted; a new producer resolves it (initTransactions)
            restartFromCommitted(true);
        }
    }

    /** An outcome record with kroute's own header only, naming this worker process. */
    private ProducerRecord<String, byte[]> toRecord(Outcome outcome) {
        return new ProducerRecord<>(
                outcome.isResponse() ? responsesTopic : deadLettersTopic,
                null,
                outcome.key(),
                outcome.value(),
                new RecordHeaders().add(Provenance.WORKER_INSTANCE, instanceHeader));
    }

    /**
     * After a fatal producer error, or a transaction whose fate is unknown: a new producer (its initTransactions
     * finishes or aborts whatever the old one left open), then every assigned partition from its committed offset,
     * read stably. Outcomes held and calls in flight are dropped; their records are read and called again.
     */
    private void restartFromCommitted(boolean newProducer) {
        if (newProducer) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debug("closing the failed producer", e);
            }
            producer = null;
            while (producer == null && !(stopRequested && System.nanoTime() > stopDeadlineNanos)) {
                try {
                    producer = newProducer();
                } catch (KafkaException e) {
                    LOG.warn("{} worker: cannot start a transactional producer yet: {}", queue, e.toString());
                    sleep(1_000);
                }
            }
            if (producer == null) {
                throw new KafkaException("no transactional producer before the stop deadline");
            }
        }
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        for (TopicPartition partition : assigned) {
            partitions.put(partition, new PartitionProgress());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = null;
        while (committed == null) {
            try {
                committed = consumer.committed(assigned, Duration.ofSeconds(30));
            } catch (KafkaException e) {
                LOG.warn("{} worker: cannot read committed offsets yet: {}", queue, e.toString());
                sleep(1_000);
            }
        }
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        countUncommitted();
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> created =
                new KafkaProducer<>(KafkaClientSettings.producer(config, queue, transactionalId));
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        return created;
    }

    private void close() {
        if (producer != null) {
            try {
                producer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warn("{} worker: closing the producer: {}", queue, e.toString());
            }
        }
        if (consumer != null) {
            try {
                // leave the group even as a static member, so the partitions move to another worker at once
                consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.warn("{} worker: closing the consumer: {}", queue, e.toString());
            }
        }
        LOG.info("{} worker stopped", queue);
        stopped.tryComplete();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        }
    }

    /** Runs inside {@code poll}, on this thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            LOG.info("{} worker assigned {}", queue, assigned);
            for (TopicPartition partition : assigned) {
                partitions.putIfAbsent(partition, new PartitionProgress());
            }
            if (paused) {
                consumer.pause(assigned);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            LOG.info("{} worker revoked {}", queue, revoked);
            drainCompletions();
            List<TopicPartition> owned = new ArrayList<>();
            for (TopicPartition partition : revoked) {
                if (partitions.containsKey(partition)) {
                    owned.add(partition);
                }
            }
            // still in the old generation: the finished prefixes can be committed before the new owner starts
            commit(owned);
            owned.forEach(partitions::remove);
            countUncommitted();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            LOG.warn("{} worker lost {}", queue, lost);
            lost.forEach(partitions::remove);
            countUncommitted();
        }
    }
}
