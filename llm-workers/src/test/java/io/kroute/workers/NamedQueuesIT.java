package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.runtime.Health;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three models' queues named under {@code models:}, each with its own replay endpoint as its provider, on a real
 * (in-JVM, KRaft) broker: every prompt answered once by its queue's model and priced by the price table.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NamedQueuesIT {

    private static final Map<String, String> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("gpt4", "gpt-4-1106-preview");
        MODELS.put("claude", "claude-instant-1");
        MODELS.put("mixtral", "mistralai/Mixtral-8x7B-Instruct-v0.1");
    }

    private static final ModelPrice CLAUDE_PRICE = new ModelPrice(0.80, 2.40);

    private static TestKafka cluster;
    private static Admin admin;
    private static ReplayDataset dataset;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = TestKafka.start();
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
        dataset = ReplayDataset.loadBundled();
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
    void answersEachPromptOnceWithItsQueuesModel() throws Exception {
        // given three queues, each calling a replay endpoint of its own, and ten Arena prompts for each
        Topics topics = newTopics(MODELS.keySet());
        Vertx vertx = Vertx.vertx();
        Map<String, ReplayServer> providers = new LinkedHashMap<>();
        Map<String, TierConfig> queues = new LinkedHashMap<>();
        for (Map.Entry<String, String> queue : MODELS.entrySet()) {
            ReplayServer provider = await(ReplayServer.deploy(vertx, dataset, ReplayServerOptions.defaults()));
            providers.put(queue.getKey(), provider);
            queues.put(queue.getKey(), section(queue.getValue(), provider.baseUrl(), "replay-" + queue.getKey()));
        }
        WorkerConfig config = config(topics, queues);
        List<String> names = List.copyOf(MODELS.keySet());
        List<ReplayItem> items = dataset.items(ReplayDataset.ARENA).subList(0, 30);
        Map<String, String> queueOf = new HashMap<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String queue = names.get(i % names.size());
            String id = "req-" + i;
            queueOf.put(id, queue);
            records.add(new ProducerRecord<>(
                    topics.queue(queue).name(),
                    id,
                    Codecs.ROUTED_PROMPT.encode(routed(id, items.get(i).prompt(), queue))));
        }
        produce(records);

        // when
        WorkerApp app = await(WorkerApp.start(vertx, config));
        List<LlmResponse> responses = readResponses(topics, items.size());
        Health health = app.health();
        await(app.stop());

        // then
        assertThat(responses).extracting(LlmResponse::requestId).containsExactlyInAnyOrderElementsOf(queueOf.keySet());
        PriceTable prices = new PriceTable(config.prices());
        assertThat(responses).allSatisfy(r -> {
            String queue = queueOf.get(r.requestId());
            String model = MODELS.get(queue);
            ReplayItem item = items.get(Integer.parseInt(r.requestId().substring(4)));
            assertThat(r.model()).as(r.requestId()).isEqualTo(model);
            assertThat(r.text()).isEqualTo(item.answer(model).orElseThrow().text());
            assertThat(r.status()).isEqualTo(ResponseStatus.OK);
            assertThat(r.tier()).isEqualTo(tier(queue));
            assertThat(r.costUsd())
                    .isPositive()
                    .isEqualTo(prices.costUsd(model, r.promptTokens(), r.completionTokens()));
        });
        assertThat(responses)
                .filteredOn(r -> queueOf.get(r.requestId()).equals("claude"))
                .allSatisfy(r -> assertThat(r.costUsd())
                        .isEqualTo(CLAUDE_PRICE.costUsd(r.promptTokens(), r.completionTokens())));
        providers.forEach(
                (queue, provider) -> assertThat(provider.answered()).as(queue).isEqualTo(10));
        assertThat(health.up()).isTrue();
        assertThat(health.checks()).containsOnlyKeys("queue-gpt4", "queue-claude", "queue-mixtral");
        for (String queue : names) {
            assertThat(app.metrics()
                            .registry()
                            .get("kroute.worker.outcomes")
                            .tag("queue", queue)
                            .tag("outcome", "ok")
                            .counter()
                            .count())
                    .as(queue)
                    .isEqualTo(10);
            assertCommittedToTheEnd(
                    config.consumerGroup(queue), topics.queue(queue).name());
        }
        await(vertx.close());
    }

    @Test
    void fallsBackToTheNamedQueuesProviderAndModel() throws Exception {
        // given a queue whose provider refuses connections, falling back to another named queue
        Topics topics = newTopics(List.of("claude", "mixtral"));
        Vertx vertx = Vertx.vertx();
        ReplayServer mixtral = await(ReplayServer.deploy(vertx, dataset, ReplayServerOptions.defaults()));
        Map<String, TierConfig> queues = new LinkedHashMap<>();
        queues.put(
                "claude",
                section(MODELS.get("claude"), "http://127.0.0.1:" + closedPort(), "down")
                        .withRetries(1, 1, 1)
                        .withFallback("mixtral"));
        queues.put("mixtral", section(MODELS.get("mixtral"), mixtral.baseUrl(), "replay-mixtral"));
        WorkerConfig config = config(topics, queues);
        List<ReplayItem> items = dataset.items(ReplayDataset.ARENA).subList(40, 46);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String id = "req-" + i;
            records.add(new ProducerRecord<>(
                    topics.queue("claude").name(),
                    id,
                    Codecs.ROUTED_PROMPT.encode(routed(id, items.get(i).prompt(), "claude"))));
        }
        produce(records);

        // when
        WorkerApp app = await(WorkerApp.start(vertx, config));
        List<LlmResponse> responses = readResponses(topics, items.size());
        await(app.stop());

        // then every prompt answered once by the fallback queue's model, at that model's price
        assertThat(responses).hasSize(items.size());
        String model = MODELS.get("mixtral");
        PriceTable prices = new PriceTable(config.prices());
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(ResponseStatus.FALLBACK);
            assertThat(r.model()).isEqualTo(model);
            assertThat(r.tier()).isEqualTo(Tier.WEAK);
            assertThat(r.costUsd()).isEqualTo(prices.costUsd(model, r.promptTokens(), r.completionTokens()));
        });
        assertThat(mixtral.answered()).isEqualTo(items.size());
        assertCommittedToTheEnd(
                config.consumerGroup("claude"), topics.queue("claude").name());
        await(vertx.close());
    }

    /** The router's decision with many models: strong for the most capable one, weak for the others. */
    private static Tier tier(String queue) {
        return queue.equals("gpt4") ? Tier.STRONG : Tier.WEAK;
    }

    private static TierConfig section(String model, String baseUrl, String provider) {
        return TierConfig.of(model, baseUrl, null, provider, TierConfig.NO_FALLBACK)
                .withMaxInFlight(4);
    }

    private static WorkerConfig config(Topics topics, Map<String, TierConfig> queues) {
        return WorkerConfig.defaults()
                .withBootstrapServers(cluster.bootstrapServers())
                .withTopicPrefix(topics.prefix())
                .withGroupId(topics.prefix() + "workers")
                .withCommitIntervalMs(200)
                .withMetricsPort(-1)
                .withPrice(MODELS.get("claude"), CLAUDE_PRICE)
                .withQueues(queues);
    }

    /** The queues' topics (two partitions each), the responses and the dead letters, with a prefix of their own. */
    private static Topics newTopics(Iterable<String> queues) throws Exception {
        Topics topics = Topics.withPrefix("it-" + UUID.randomUUID().toString().substring(0, 8) + "-");
        List<NewTopic> created = new ArrayList<>();
        for (String queue : queues) {
            created.add(new NewTopic(topics.queue(queue).name(), 2, (short) 1));
        }
        created.add(new NewTopic(topics.responses().name(), 1, (short) 1));
        created.add(new NewTopic(topics.deadLetters().name(), 1, (short) 1));
        admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        return topics;
    }

    private static RoutedPrompt routed(String id, String prompt, String queue) {
        long now = System.currentTimeMillis();
        return new RoutedPrompt(
                new PromptRequest(id, "it", List.of(ChatMessage.user(prompt)), null, Map.of(), null, now),
                new RoutingDecision(tier(queue), MODELS.get(queue), 0.5, "routoo", "routoo-1", 0.5, false, now, queue));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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

    /**
     * The committed responses until {@code expected} came or 60 s passed, then one more second of polling, so a
     * duplicate would be seen; any dead letter fails the test.
     */
    private static List<LlmResponse> readResponses(Topics topics, int expected) {
        List<LlmResponse> responses = new ArrayList<>();
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
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    assertThat(record.topic())
                            .as("dead letter: %s", new String(record.value()))
                            .isEqualTo(topics.responses().name());
                    responses.add(Codecs.LLM_RESPONSE.decode(record.value()));
                }
                if (responses.size() >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
            }
        }
        return responses;
    }

    private static void assertCommittedToTheEnd(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 2; p++) {
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
}
