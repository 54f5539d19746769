package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kroute.replay.ReplayDataset;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The issue-15 probes against the running pipeline on a real broker: a 1 MB prompt, a malformed 800 KB record, a 10 MB
 * prompt sent compressed, a producer header carrying a key, and a request id sent twice, all on one partition, with
 * ordinary prompts behind them. Every record ends as one outcome, the bad ones as small dead letters with their
 * reasons, the partition keeps flowing, and the key is nowhere in the topics, the metrics or the logs.
 */
@Tag("integration")
@Timeout(300)
class HostileInputIT {

    private static final TestKafka kafka = TestKafka.shared();
    private static final String SECRET = "sk-hostile0123456789abcdefSECRET";
    /** Every record of this test shares a key, so they share a partition: the ones behind the bad ones must flow. */
    private static final String PARTITION_KEY = "one-partition";

    @Test
    void hostile_records_become_small_dead_letters_and_the_partition_keeps_flowing() throws Exception {
        // given
        Topics topics = Topics.withPrefix("hostile-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        String prompt =
                ReplayDataset.loadBundled().items(ReplayDataset.GSM8K).get(0).prompt();

        try (Pipeline pipeline = Pipeline.start(
                        kafka.bootstrapServers(),
                        topics,
                        ReplayDataset.loadBundled(),
                        Map.of(RouterStreamSettings.ROUTER, "random:3"),
                        0,
                        DemoFaults.none(),
                        0);
                KafkaProducer<String, byte[]> producer = compressingProducer()) {

            // when
            send(producer, topics, "before", request("before", prompt), null);
            send(producer, topics, "big", request("big", "x".repeat(1024 * 1024)), null);
            send(
                    producer,
                    topics,
                    "malformed",
                    ("{\"id\":\"malformed\",\"messages\":[" + "7".repeat(800 * 1024)).getBytes(StandardCharsets.UTF_8),
                    null);
            send(producer, topics, "huge", request("huge", "y".repeat(10 * 1024 * 1024)), null);
            send(producer, topics, "with-header", request("with-header", prompt), "Bearer " + SECRET);
            send(producer, topics, "twice", request("twice", prompt), null);
            send(producer, topics, "twice", request("twice", prompt + " (again)"), null);
            for (int i = 0; i < 20; i++) {
                send(producer, topics, "after-" + i, request("after-" + i, prompt), null);
            }
            producer.flush();
            List<ConsumerRecord<String, byte[]>> outcomes = readOutcomes(topics, 27);

            // then: one outcome per record, the bad ones dead letters with their reasons (keyed by the record's key)
            List<String> answered = new ArrayList<>();
            List<String> deadLetters = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : outcomes) {
                if (record.topic().equals(topics.deadLetters().name())) {
                    assertThat(record.value().length)
                            .as("a dead letter always fits")
                            .isLessThan(100_000);
                    DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
                    assertThat(letter.key()).isEqualTo(PARTITION_KEY);
                    deadLetters.add(letter.reason());
                } else {
                    answered.add(Codecs.LLM_RESPONSE.decode(record.value()).requestId());
                }
            }
            assertThat(deadLetters)
                    .hasSize(4)
                    .filteredOn(reason -> reason.startsWith("prompt too large"))
                    .as("1 MB, malformed 800 KB, 10 MB compressed")
                    .hasSize(3);
            assertThat(deadLetters).anyMatch(reason -> reason.startsWith("duplicate request id twice"));
            List<String> expectedAnswers = new ArrayList<>(List.of("before", "with-header", "twice"));
            for (int i = 0; i < 20; i++) {
                expectedAnswers.add("after-" + i);
            }
            assertThat(answered).containsExactlyInAnyOrderElementsOf(expectedAnswers);

            // and: the key in the producer's header is nowhere downstream, nor in the metrics or the logs
            for (ConsumerRecord<String, byte[]> record : readAll(topics)) {
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
                for (Header header : record.headers()) {
                    assertThat(header.key()).isNotEqualToIgnoringCase("authorization");
                    assertThat(new String(header.value(), StandardCharsets.UTF_8))
                            .doesNotContain(SECRET);
                }
            }
            assertThat(scrape(pipeline.stream().metricsPort())).doesNotContain(SECRET);
            assertThat(scrape(pipeline.workers().metricsPort())).doesNotContain(SECRET);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(SECRET));
    }

    private static byte[] request(String id, String text) {
        return Codecs.PROMPT_REQUEST.encode(
                new PromptRequest(id, "it", List.of(ChatMessage.user(text)), 64, Map.of(), null, 0));
    }

    /** A producer that compresses, so a 10 MB prompt of repeated text fits the broker's 1 MB limit. */
    private static KafkaProducer<String, byte[]> compressingProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "gzip",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        32 * 1024 * 1024,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        64 * 1024 * 1024),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static void send(
            KafkaProducer<String, byte[]> producer, Topics topics, String id, byte[] value, String authorization)
            throws Exception {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topics.prompts().name(), PARTITION_KEY, value);
        if (authorization != null) {
            record.headers().add("authorization", authorization.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    private static List<ConsumerRecord<String, byte[]>> readOutcomes(Topics topics, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(
                    List.of(topics.responses().name(), topics.deadLetters().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).as("every record has an outcome").hasSize(expected);
        return out;
    }

    /** Everything downstream of the prompts topic: the queues, the responses and the dead letters. */
    private static List<ConsumerRecord<String, byte[]>> readAll(Topics topics) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(List.of(
                    topics.strongQueue().name(),
                    topics.weakQueue().name(),
                    topics.responses().name(),
                    topics.deadLetters().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int empty = 0;
            while (System.nanoTime() < deadline && empty < 10) {
                int before = out.size();
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                empty = out.size() == before ? empty + 1 : 0;
            }
        }
        return out;
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
