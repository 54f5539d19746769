package io.kroute.batch.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Everything the gateway writes (a file's chunks and description, a job's creation with all its lines, a cancel)
 * goes through one transactional producer, each call in one transaction: a gateway killed half-way through an upload
 * or a job leaves nothing behind (the broker aborts it; the restarted gateway, with the same transactional id, fences
 * it at once), so a job exists with all its lines or not at all. One thread runs the transactions in turn: a
 * transaction belongs to the whole producer.
 */
public final class GatewayWriter implements AutoCloseable {

    /** Where a transaction's records go. */
    @FunctionalInterface
    public interface Transaction {
        void send(String topic, String key, byte[] value);
    }

    /** The work of one transaction; what it returns is the call's result. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Transaction tx) throws Exception;
    }

    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService thread;

    public GatewayWriter(Map<String, Object> clientConfig, String transactionalId) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, BatchTopics.CHUNK_BYTES + 64 * 1024);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a job's lines are JSON that compresses several times over: a 50,000-line job is a few MB on the wire
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a job of 50,000 lines is one transaction: give it time on a slow cluster
        config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-gateway-writer");
            t.setDaemon(true);
            return t;
        });
        // fences a predecessor with the same id, aborting what it left open
        CompletableFuture.runAsync(producer::initTransactions, thread).join();
    }

    /** Runs {@code work} in a transaction on the writer's thread: committed when it returns, aborted if it throws. */
    public <T> CompletableFuture<T> inTransaction(Work<T> work) {
        return CompletableFuture.supplyAsync(
                () -> {
                    producer.beginTransaction();
                    try {
                        T result =
                                work.run((topic, key, value) -> producer.send(new ProducerRecord<>(topic, key, value)));
                        producer.commitTransaction();
                        return result;
                    } catch (Exception e) {
                        try {
                            producer.abortTransaction();
                        } catch (KafkaException abortFailed) {
                            e.addSuppressed(abortFailed);
                        }
                        throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                    }
                },
                thread);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
