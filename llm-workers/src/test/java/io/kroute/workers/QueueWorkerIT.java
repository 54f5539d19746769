package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Provenance;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import io.kroute.workers.ScriptedLlmServer.Reply;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The workers against a real (in-JVM, KRaft) broker: every prompt answered once, offsets committed to the end. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueueWorkerIT {

    private static final int MAX_IN_FLIGHT = 4;

    private static TestKafka cluster;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = TestKafka.start();
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void answersEveryPromptDeadLettersGarbageAndCommitsToTheEnd() throws Exception {
        // given
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Topics topics = Topics.withPrefix(prefix);
        admin.createTopics(List.of(
                        new NewTopic(topics.strongQueue().name(), 3, (short) 1),
                        new NewTopic(topics.weakQueue().name(), 2, (short) 1),
                        new NewTopic(topics.responses().name(), 3, (short) 1),
                        new NewTopic(topics.deadLetters().name(), 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        Vertx vertx = Vertx.vertx();
        ScriptedLlmServer llm = ScriptedLlmServer.start(vertx)
                .otherwise(Reply.ok("replayed", "an answer", 12, 3).withDelay(40));
        WorkerConfig defaults = WorkerConfig.defaults();
        WorkerConfig config = defaults.withBootstrapServers(cluster.bootstrapServers())
                .withTopicPrefix(prefix)
                .withGroupId(prefix + "workers")
                .withCommitIntervalMs(200)
                .withMetricsPort(0)
                .withTier(
                        Tier.STRONG,
                        defaults.strong()
                                .withBaseUrl(llm.baseUrl())
                                .withApiKey("k")
                                .withMaxInFlight(MAX_IN_FLIGHT))
                .withTier(Tier.WEAK, defaults.weak().withBaseUrl(llm.baseUrl()).withMaxInFlight(MAX_IN_FLIGHT));
        Set<String> expected = new HashSet<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Tier tier = i % 4 == 0 ? Tier.WEAK : Tier.STRONG;
            String id = "req-" + i;
            expected.add(id);
            records.add(
                    new ProducerRecord<>(topics.queue(tier).name(), id, Codecs.ROUTED_PROMPT.encode(routed(id, tier))));
        }
        records.add(new ProducerRecord<>(
                topics.weakQueue().name(), "garbage", "not json".getBytes(StandardCharsets.UTF_8)));
        produce(records);

        // when
        WorkerApp app = await(WorkerApp.start(vertx, config));
        List<LlmResponse> responses = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        cluster.bootstrapServers(),
                        "group.id",
                        prefix + "reader",
                        "auto.offset.reset",
                        "earliest",
                        "isolation.level",
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(
                    List.of(topics.responses().name(), topics.deadLetters().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((responses.size() < expected.size() || deadLetters.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.topic().equals(topics.responses().name())) {
                        responses.add(Codecs.LLM_RESPONSE.decode(record.value()));
                    } else {
                        deadLetters.add(Codecs.DEAD_LETTER.decode(record.value()));
                    }
                }
            }
        }
        await(app.stop());

        // then
        assertThat(responses).extracting(LlmResponse::requestId).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.tier())
                    .isEqualTo(Integer.parseInt(r.requestId().substring(4)) % 4 == 0 ? Tier.WEAK : Tier.STRONG);
            assertThat(r.costUsd()).isPositive();
        });
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("garbage");
            assertThat(d.sourceTopic()).isEqualTo(topics.weakQueue().name());
        });
        assertThat(llm.maxConcurrentRequests()).isLessThanOrEqualTo(2 * MAX_IN_FLIGHT);
        assertCommittedToTheEnd(
                config.consumerGroup(Tier.STRONG), topics.strongQueue().name(), 3);
        assertCommittedToTheEnd(
                config.consumerGroup(Tier.WEAK), topics.weakQueue().name(), 2);
        await(vertx.close());
    }

    @Test
    void probe2AHugePromptRefusedByTheProviderIsDeadLetteredOnceAndTheQueueFlows() throws Exception {
        // given a 792 KB prompt between ordinary ones on the weak queue, and a provider that refuses it
        Topics topics = newTopics(Map.of());
        Vertx vertx = Vertx.vertx();
        ScriptedLlmServer llm = ScriptedLlmServer.start(vertx)
                .when(
                        body -> body.encode().length() > 100_000,
                        Reply.error(400, "invalid_request_error", "This model's maximum context length is 128000"))
                .otherwise(Reply.ok("m", "an answer", 12, 3));
        byte[] huge = Codecs.ROUTED_PROMPT.encode(routed("req-huge", Tier.WEAK, "x".repeat(792 * 1024)));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "req-" + i;
            records.add(new ProducerRecord<>(
                    topics.weakQueue().name(), id, Codecs.ROUTED_PROMPT.encode(routed(id, Tier.WEAK))));
            if (i == 2) {
                records.add(new ProducerRecord<>(topics.weakQueue().name(), "req-huge", huge));
            }
        }
        produce(records);

        // when
        WorkerConfig config = config(topics, llm);
        WorkerApp app = await(WorkerApp.start(vertx, config));
        List<ConsumerRecord<String, byte[]>> outcomes = readOutcomes(topics, 7);
        await(app.stop());

        // then every record has its outcome, the huge one a dead letter that fits, and nothing was called twice
        assertThat(outcomes).hasSize(7);
        DeadLetter deadLetter = outcomes.stream()
                .filter(o -> o.topic().equals(topics.deadLetters().name()))
                .map(o -> Codecs.DEAD_LETTER.decode(o.value()))
                .findFirst()
                .orElseThrow();
        assertThat(deadLetter.key()).isEqualTo("req-huge");
        assertThat(deadLetter.reason()).contains("HTTP 400");
        assertThat(deadLetter.originalSize()).isEqualTo(huge.length);
        assertThat(deadLetter.originalTruncated()).isTrue();
        assertThat(llm.received()).hasSize(7);
        assertCommittedToTheEnd(
                config.consumerGroup(Tier.WEAK), topics.weakQueue().name(), 1);
        await(vertx.close());
    }

    @Test
    void probe2AnOutcomeTheClusterRefusesIsReplacedByASmallDeadLetterAndLoggedOnce() throws Exception {
        // given a responses topic that takes records of 20,000 bytes at most, and one answer of 40,000 characters
        Topics topics = newTopics(Map.of("max.message.bytes", "20000"));
        Vertx vertx = Vertx.vertx();
        ScriptedLlmServer llm = ScriptedLlmServer.start(vertx)
                .when(body -> body.encode().contains("question req-big"), Reply.ok("m", "y".repeat(40_000), 12, 3))
                .otherwise(Reply.ok("m", "an answer", 12, 3));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (String id : List.of("req-0", "req-1", "req-big", "req-2", "req-3")) {
            records.add(new ProducerRecord<>(
                    topics.strongQueue().name(), id, Codecs.ROUTED_PROMPT.encode(routed(id, Tier.STRONG))));
        }
        produce(records);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger loopLog = (Logger) LoggerFactory.getLogger(QueueLoop.class);
        loopLog.addAppender(logs);

        // when
        WorkerConfig config = config(topics, llm);
        List<ConsumerRecord<String, byte[]>> outcomes;
        try {
            WorkerApp app = await(WorkerApp.start(vertx, config));
            outcomes = readOutcomes(topics, 5);
            await(app.stop());
        } finally {
            loopLog.detachAppender(logs);
        }

        // then
        assertThat(outcomes).hasSize(5);
        assertThat(outcomes)
                .filteredOn(o -> o.topic().equals(topics.responses().name()))
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("req-0", "req-1", "req-2", "req-3");
        DeadLetter deadLetter = outcomes.stream()
                .filter(o -> o.topic().equals(topics.deadLetters().name()))
                .map(o -> Codecs.DEAD_LETTER.decode(o.value()))
                .findFirst()
                .orElseThrow();
        assertThat(deadLetter.key()).isEqualTo("req-big");
        assertThat(deadLetter.offset()).isEqualTo(2);
        assertThat(deadLetter.reason())
                .startsWith("outcome not writable: the response")
                .contains("RecordTooLargeException")
                .contains(topics.responses().name());
        assertThat(llm.received()).as("no call paid twice").hasSize(5);
        assertThat(logs.list)
                .filteredOn(e -> e.getFormattedMessage().contains("could not write the outcome"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("RecordTooLargeException"));
        assertCommittedToTheEnd(
                config.consumerGroup(Tier.STRONG), topics.strongQueue().name(), 1);
        await(vertx.close());
    }

    @Test
    void probe10AProducersAuthorizationHeaderIsNotCopiedToResponsesOrDeadLetters() throws Exception {
        // given a prompt and a malformed record, both with a producer's authorization header
        Topics topics = newTopics(Map.of());
        Vertx vertx = Vertx.vertx();
        ScriptedLlmServer llm = ScriptedLlmServer.start(vertx).otherwise(Reply.ok("m", "an answer", 12, 3));
        List<ProducerRecord<String, byte[]>> records = List.of(
                new ProducerRecord<>(
                        topics.strongQueue().name(),
                        "req-0",
                        Codecs.ROUTED_PROMPT.encode(routed("req-0", Tier.STRONG))),
                new ProducerRecord<>(
                        topics.strongQueue().name(), "garbage", "not json".getBytes(StandardCharsets.UTF_8)));
        for (ProducerRecord<String, byte[]> record : records) {
            record.headers()
                    .add("authorization", "Bearer sk-producer-secret-0123456789".getBytes(StandardCharsets.UTF_8));
            record.headers().add("x-trace", "t-1".getBytes(StandardCharsets.UTF_8));
        }
        produce(records);

        // when
        WorkerConfig config = config(topics, llm).withInstanceId("worker-probe10");
        WorkerApp app = await(WorkerApp.start(vertx, config));
        List<ConsumerRecord<String, byte[]>> outcomes = readOutcomes(topics, 2);
        await(app.stop());

        // then
        assertThat(outcomes)
                .extracting(ConsumerRecord::topic)
                .containsExactlyInAnyOrder(
                        topics.responses().name(), topics.deadLetters().name());
        assertThat(outcomes).allSatisfy(outcome -> {
            assertThat(outcome.headers().toArray()).extracting(Header::key).containsExactly(Provenance.WORKER_INSTANCE);
            assertThat(Provenance.read(outcome.headers(), Provenance.WORKER_INSTANCE))
                    .isEqualTo("worker-probe10");
        });
        await(vertx.close());
    }

    /** Topics of their own, one partition each; {@code responsesConfig} for the responses topic. */
    private static Topics newTopics(Map<String, String> responsesConfig) throws Exception {
        Topics topics = Topics.withPrefix("it-" + UUID.randomUUID().toString().substring(0, 8) + "-");
        admin.createTopics(List.of(
                        new NewTopic(topics.strongQueue().name(), 1, (short) 1),
                        new NewTopic(topics.weakQueue().name(), 1, (short) 1),
                        new NewTopic(topics.responses().name(), 1, (short) 1).configs(responsesConfig),
                        new NewTopic(topics.deadLetters().name(), 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        return topics;
    }

    private static WorkerConfig config(Topics topics, ScriptedLlmServer llm) {
        WorkerConfig defaults = WorkerConfig.defaults();
        return defaults.withBootstrapServers(cluster.bootstrapServers())
                .withTopicPrefix(topics.prefix())
                .withGroupId(topics.prefix() + "workers")
                .withCommitIntervalMs(200)
                .withMetricsPort(-1)
                .withTier(
                        Tier.STRONG,
                        defaults.strong().withBaseUrl(llm.baseUrl()).withMaxInFlight(MAX_IN_FLIGHT))
                .withTier(Tier.WEAK, defaults.weak().withBaseUrl(llm.baseUrl()).withMaxInFlight(MAX_IN_FLIGHT));
    }

    private static void produce(List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", cluster.bootstrapServers(), "max.block.ms", "30000"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The committed outcomes (responses and dead letters) until {@code expected} came or 60 s passed. */
    private static List<ConsumerRecord<String, byte[]>> readOutcomes(Topics topics, int expected) {
        List<ConsumerRecord<String, byte[]>> outcomes = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        cluster.bootstrapServers(),
                        "group.id",
                        topics.prefix() + "reader",
                        "auto.offset.reset",
                        "earliest",
                        "isolation.level",
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.subscribe(
                    List.of(topics.responses().name(), topics.deadLetters().name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (outcomes.size() < expected && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(outcomes::add);
            }
        }
        return outcomes;
    }

    private static void assertCommittedToTheEnd(String group, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        for (TopicPartition partition : latest.keySet()) {
            long end = ends.get(partition).offset();
            if (end > 0) {
                assertThat(committed.get(partition)).as(partition.toString()).isNotNull();
                assertThat(committed.get(partition).offset())
                        .as(partition.toString())
                        .isEqualTo(end);
            }
        }
    }

    private static RoutedPrompt routed(String id, Tier tier) {
        return routed(id, tier, "question " + id);
    }

    private static RoutedPrompt routed(String id, Tier tier, String prompt) {
        long now = System.currentTimeMillis();
        return new RoutedPrompt(
                new PromptRequest(id, "it", List.of(ChatMessage.user(prompt)), 32, Map.of(), null, now),
                new RoutingDecision(tier, "m", 0.5, "random", "random-1", 0.5, false, now));
    }
}
