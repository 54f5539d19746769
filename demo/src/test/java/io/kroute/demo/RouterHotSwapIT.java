package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.retrain.RouterPublisher;
import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router published on the router-models topic replaces the one in service mid-stream: every prompt is scored exactly
 * once, by the version its decision names; a corrupt artifact is dead-lettered and the router in service stays.
 */
@Tag("integration")
@Timeout(240)
class RouterHotSwapIT {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    /** The artifact of this test is a directory with a seed file; the router it loads is random with that seed. */
    private static final Function<Path, Router> SEEDED = dir -> {
        try {
            return new RandomRouter(
                    Long.parseLong(Files.readString(dir.resolve("seed")).trim()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    };

    @Test
    void a_published_router_is_picked_up_mid_stream_and_every_prompt_names_the_version_that_scored_it(@TempDir Path tmp)
            throws Exception {
        // given: a stream serving version seed-1, following channel "default"
        Topics topics = Topics.withPrefix("swap-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        RouterStreamSettings settings = Pipeline.streamSettings(
                kafka.bootstrapServers(),
                topics,
                Map.of(
                        RouterStreamSettings.ROUTER, "random:1",
                        RouterStreamSettings.MODEL_CHANNEL, "default",
                        RouterStreamSettings.MODEL_DIR, tmp.resolve("models").toString()));

        try (KafkaProducer<String, byte[]> models = KafkaTestClients.producer(kafka.bootstrapServers());
                RouterPublisher publisher = new RouterPublisher(kafka.bootstrapServers(), topics);
                PromptProducer prompts = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name())) {
            try (RouterStreamApp app = RouterStreamApp.start(settings, new RandomRouter(1), SEEDED)) {
                assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

                // when: 300 prompts, then version seed-2 is published, then 300 more
                send(prompts, 0, 300);
                Map<String, RoutedPrompt> routed = KafkaTestClients.readRouted(kafka.bootstrapServers(), topics, 300);
                publisher.publish(RouterModel.inline(
                        "default", "seed-2", "random", seedDir(tmp, "v2", "2"), System.currentTimeMillis(), "test"));
                awaitServed(app, "seed-2");
                send(prompts, 300, 600);
                routed = KafkaTestClients.readRouted(kafka.bootstrapServers(), topics, 600);

                // then
                assertThat(routed).hasSize(600);
                for (Map.Entry<String, RoutedPrompt> entry : routed.entrySet()) {
                    int n = Integer.parseInt(entry.getKey().substring(2));
                    String version = entry.getValue().decision().routerVersion();
                    assertThat(version).isEqualTo(n < 300 ? "seed-1" : "seed-2");
                    long seed = Long.parseLong(version.substring("seed-".length()));
                    assertThat(entry.getValue().decision().score())
                            .as("scored by the version it names")
                            .isEqualTo(new RandomRouter(seed)
                                    .score(entry.getValue().request().lastUserText()));
                }

                // and: a corrupt artifact is refused, the router in service stays
                RouterModel good = RouterModel.inline("default", "seed-3", "random", seedDir(tmp, "v3", "3"), 1, null);
                RouterModel corrupt = new RouterModel(
                        "default", "seed-3", "random", "0".repeat(64), good.files(), null, 1, "tampered");
                models.send(new ProducerRecord<>(
                                topics.routerModels().name(), "default", Codecs.ROUTER_MODEL.encode(corrupt)))
                        .get();
                DeadLetter letter = readDeadLetter(topics);
                assertThat(letter.stage()).isEqualTo("router-models");
                assertThat(letter.reason()).contains("checksum mismatch");
                assertThat(app.servedVersion()).isEqualTo("seed-2");

                // and: a good version 3, then a rollback to 2 in one call
                publisher.publish(good);
                awaitServed(app, "seed-3");
                publisher.rollback("default", "seed-2", Duration.ofSeconds(30));
                awaitServed(app, "seed-2");
                assertThat(app.policy().router().info().version()).isEqualTo("seed-2");
            }
        }
    }

    private static Path seedDir(Path tmp, String name, String seed) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("seed"), seed);
        return dir;
    }

    private static void send(PromptProducer producer, int from, int to) {
        for (int i = from; i < to; i++) {
            producer.send(new PromptRequest(
                    "p-" + i, "t", List.of(ChatMessage.user("question number " + i)), null, Map.of(), null, 1));
        }
        producer.flush();
    }

    private static void awaitServed(RouterStreamApp app, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!version.equals(app.servedVersion()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(app.servedVersion()).isEqualTo(version);
    }

    private static DeadLetter readDeadLetter(Topics topics) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(List.of(topics.deadLetters().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return Codecs.DEAD_LETTER.decode(record.value());
                }
            }
        }
        throw new AssertionError("no dead letter for the corrupt router model");
    }
}
