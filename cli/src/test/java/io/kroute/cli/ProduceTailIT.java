package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.testkafka.TestKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** produce and tail as a user runs them, through picocli, against a real (in-JVM, KRaft) broker. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProduceTailIT {

    private static TestKafka kafka;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void produceSendsEveryGoodLineKeyedByIdAndReportsTheBadOne(@TempDir Path dir) throws Exception {
        // given
        Topics topics = newTopics();
        Path prompts = dir.resolve("prompts.txt");
        Files.writeString(
                prompts,
                String.join(
                                "\n",
                                "What is the capital of France?",
                                "",
                                "{\"prompt\": \"Name a prime.\", \"id\": \"short-1\", \"max_tokens\": 16}",
                                "{\"id\": \"full-1\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                                "{\"prompt\": 42}")
                        + "\n");

        // when
        int exit = run(
                "produce",
                prompts.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                topics.prefix(),
                "--tenant",
                "acme",
                "--print-ids");

        // then
        assertThat(exit).as(err.toString()).isEqualTo(1);
        List<String> ids = out.toString().lines().toList();
        assertThat(ids).hasSize(3).contains("short-1", "full-1");
        assertThat(err.toString().lines())
                .contains("produce: line 5: \"prompt\" must be a string")
                .last()
                .isEqualTo("produce: sent 3, skipped 1 (bad lines 1, failed sends 0)");
        Map<String, PromptRequest> sent = readPrompts(topics, 3);
        assertThat(sent.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.values()).extracting(PromptRequest::tenant).containsOnly("acme");
        assertThat(sent.get("short-1").maxTokens()).isEqualTo(16);
        assertThat(sent.get("full-1").lastUserText()).isEqualTo("Hi");
    }

    @Test
    void tailShowsTheOutcomesOfTheIdsAndStopsWhenEachHasOne(@TempDir Path dir) throws Exception {
        // given
        Topics topics = newTopics();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, topics.responses().name(), "other", Codecs.LLM_RESPONSE.encode(response("other")));
            send(producer, topics.responses().name(), "answered", "{broken".getBytes(StandardCharsets.UTF_8));
            send(producer, topics.responses().name(), "answered", Codecs.LLM_RESPONSE.encode(response("answered")));
            DeadLetter letter = DeadLetter.of(
                    "rejected", new byte[0], topics.weakQueue().name(), 0, 3, "llm-workers", "HTTP 400 from weak", 1L);
            send(producer, topics.deadLetters().name(), "rejected", Codecs.DEAD_LETTER.encode(letter));
        }
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "answered\n\nrejected\n");

        // when
        int exit = run(
                "tail",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                topics.prefix(),
                "--from-beginning",
                "--ids",
                ids.toString(),
                "--timeout-s",
                "60");

        // then
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("answered  unreadable  " + topics.responses().name())
                .contains("answered  response  tier=weak  model=mixtral  status=ok  cost=$0.000300  latency=120ms")
                .contains("    The answer to answered.")
                .contains("rejected  dead letter  stage=llm-workers  reason=HTTP 400 from weak")
                .doesNotContain("other");
        assertThat(err.toString().lines()).containsExactly("tail: all 2 ids have an outcome");
    }

    @Test
    void tailJsonPrintsEachValueAsWrittenAndStopsAtTheCount() throws Exception {
        // given
        Topics topics = newTopics();
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String id : List.of("a", "b", "c")) {
                byte[] value = Codecs.LLM_RESPONSE.encode(response(id));
                values.add(new String(value, StandardCharsets.UTF_8));
                send(producer, topics.responses().name(), id, value);
            }
        }

        // when
        int exit = run(
                "tail",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                topics.prefix(),
                "--from-beginning",
                "--json",
                "--count",
                "2",
                "--timeout-s",
                "60");

        // then
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString().lines()).hasSize(2).isSubsetOf(values);
    }

    @Test
    void tailGivesUpWithExitOneWhenAnIdHasNoOutcome(@TempDir Path dir) throws Exception {
        // given
        Topics topics = newTopics();
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "never-answered\n");

        // when
        int exit = run(
                "tail",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                topics.prefix(),
                "--ids",
                ids.toString(),
                "--timeout-s",
                "2");

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly("tail: gave up after 2 s; 1 of 1 ids have no outcome");
    }

    @Test
    void aMissingTopicIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        // given
        Path prompts = dir.resolve("prompts.txt");
        Files.writeString(prompts, "hello\n");

        // when
        int exit = run(
                "produce",
                prompts.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                "no-");

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines())
                .containsExactly("produce: topic no-llm-prompts does not exist at " + kafka.bootstrapServers()
                        + " (create the topics, or check --topic-prefix)");
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitTwoWithoutLogNoise(@TempDir Path dir) throws Exception {
        // given
        Path prompts = dir.resolve("prompts.txt");
        Files.writeString(prompts, "hello\n");
        ListAppender<ILoggingEvent> logged = listenToLogs();

        // when
        long start = System.nanoTime();
        int exit;
        try {
            exit = run("produce", prompts.toString(), "--bootstrap-servers", "127.0.0.1:1");
        } finally {
            stopListening(logged);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("produce: cannot reach Kafka at 127.0.0.1:1 within 10 s");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(warnings(logged)).isEmpty();
    }

    @Test
    void aRefusedLoginFromTheCommandConfigIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        // given: the broker speaks PLAINTEXT, the config asks for SASL
        Path config = dir.resolve("client.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "security.protocol=SASL_PLAINTEXT",
                        "sasl.mechanism=PLAIN",
                        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                                + "username=\"u\" password=\"p\";"));
        ListAppender<ILoggingEvent> logged = listenToLogs();

        // when
        int exit;
        try {
            exit = run("tail", "--bootstrap-servers", kafka.bootstrapServers(), "--command-config", config.toString());
        } finally {
            stopListening(logged);
        }

        // then
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .startsWith("tail: cannot use Kafka at " + kafka.bootstrapServers() + ": ");
        assertThat(warnings(logged)).isEmpty();
    }

    private int run(String... args) {
        CommandLine commandLine = KrouteCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** Everything logged through the cli's logback configuration, as a user would see it on stderr. */
    private static ListAppender<ILoggingEvent> listenToLogs() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        rootLogger().addAppender(logged);
        return logged;
    }

    private static void stopListening(ListAppender<ILoggingEvent> logged) {
        rootLogger().detachAppender(logged);
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> logged) {
        return logged.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static Logger rootLogger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private static Topics newTopics() throws Exception {
        Topics topics = Topics.withPrefix("it-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        return topics;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                KafkaClientConfigs.idempotentProducer(kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    /** The prompts topic as a read_committed consumer sees it, decoded with the codec: waits for {@code expected}. */
    private static Map<String, PromptRequest> readPrompts(Topics topics, int expected) {
        Map<String, Object> config = KafkaClientConfigs.committedReader(kafka.bootstrapServers());
        Map<String, PromptRequest> prompts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                OutcomeConsumer.open(config, List.of(topics.prompts().name()), true, Duration.ofSeconds(30))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (prompts.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    PromptRequest request = Codecs.PROMPT_REQUEST.decode(record.value());
                    assertThat(record.key()).isEqualTo(request.id());
                    prompts.put(record.key(), request);
                }
            }
        }
        return prompts;
    }

    private static LlmResponse response(String id) {
        return new LlmResponse(
                id,
                "default",
                Tier.WEAK,
                "mixtral",
                "The answer to " + id + ".",
                "stop",
                100,
                400,
                0.0003,
                120,
                1,
                ResponseStatus.OK,
                "v1",
                1L,
                2L);
    }
}
