package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The workers against a real (in-JVM, KRaft) broker: every prompt answered once, offsets committed to the end. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueueWorkerIT {

    private static final int MAX_IN_FLIGHT = 4;

    private static KafkaClusterTestKit cluster;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
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
                .withTier(
                        Tier.STRONG,
                        defaults.strong()
                                .withBaseUrl(llm.baseUrl())
                                .withApiKey("k")
                                .withMaxInFlight(MAX_IN_FLIGHT))
                .withTier(Tier.WEAK, defaults.weak().withBaseUrl(llm.baseUrl()).withMaxInFlight(MAX_IN_FLIGHT));
        Set<String> expected = new HashSet<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", cluster.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 40; i++) {
                Tier tier = i % 4 == 0 ? Tier.WEAK : Tier.STRONG;
                String id = "req-" + i;
                expected.add(id);
                producer.send(new ProducerRecord<>(
                        topics.queue(tier).name(), id, Codecs.ROUTED_PROMPT.encode(routed(id, tier))));
            }
            producer.send(new ProducerRecord<>(
                    topics.weakQueue().name(), "garbage", "not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

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
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
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
        long now = System.currentTimeMillis();
        return new RoutedPrompt(
                new PromptRequest(id, "it", List.of(ChatMessage.user("question " + id)), 32, Map.of(), null, now),
                new RoutingDecision(tier, "m", 0.5, "random", "random-1", 0.5, false, now));
    }
}
