package io.kroute.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends validated requests keyed by request id and accounts for the result of every send: a record counts as sent only
 * once the broker has acknowledged it, and a failed send is reported with its line, never lost silently.
 */
final class PromptSender implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final PrintWriter err;
    private final PrintWriter ids;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param producerConfig an idempotent producer's settings
     * @param ids where the id of each acknowledged request is printed, or null
     */
    PromptSender(Map<String, Object> producerConfig, String topic, PrintWriter err, PrintWriter ids) {
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.err = err;
        this.ids = ids;
    }

    void send(PromptLine line) {
        producer.send(new ProducerRecord<>(topic, line.id(), line.value()), (metadata, e) -> {
            if (e == null) {
                sent.incrementAndGet();
                if (ids != null) {
                    ids.println(line.id());
                }
            } else {
                failed.incrementAndGet();
                err.println("produce: line " + line.number() + " (id " + line.id() + ") not sent: "
                        + OneLine.of(e.getMessage()));
            }
        });
    }

    /** Blocks until every send so far has its result. */
    void flush() {
        producer.flush();
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
