package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.retrain.RouterPublisher;
import io.kroute.router.ModelCard;
import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.RouterModelSigner;
import io.kroute.schemas.SigningKeys;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import io.kroute.testkafka.TestKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
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
 * once, by the version its decision names; a corrupt artifact is dead-lettered and the router in service stays. With
 * trusted keys, only what the publisher signed is served, and only from files inside the artifact or the location
 * root.
 */
@Tag("integration")
@Timeout(240)
class RouterHotSwapIT {

    private static final TestKafka kafka = TestKafka.shared();

    /**
     * The artifacts of this test are directories with a seed file, loaded as the random router with that seed, or
     * trained router directories, loaded as the router-stream loads them.
     */
    private static final Function<Path, Router> SEEDED_OR_TRAINED = dir -> {
        if (Files.exists(dir.resolve(ModelCard.FILE))) {
            return RouterLoader.load(dir.toString());
        }
        try {
            return new RandomRouter(
                    Long.parseLong(Files.readString(dir.resolve("seed")).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
            try (RouterStreamApp app = RouterStreamApp.start(settings, new RandomRouter(1), SEEDED_OR_TRAINED)) {
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
                        "default", "seed-3", "random", "0".repeat(64), good.files(), null, 1, "tampered", null, null);
                models.send(new ProducerRecord<>(
                                topics.routerModels().name(), "default", Codecs.ROUTER_MODEL.encode(corrupt)))
                        .get();
                DeadLetter letter = readDeadLetters(topics, 1).get(0);
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

    @Test
    void with_a_trusted_key_only_signed_artifacts_within_their_bounds_are_served_and_each_refusal_is_followed(
            @TempDir Path tmp) throws Exception {
        // given: a test publisher's key pair, the stream trusting its public key, locations confined to tmp/shared
        KeyPair pair = SigningKeys.generate();
        Path publicKey = tmp.resolve("publisher.pub.pem");
        Files.writeString(publicKey, SigningKeys.publicPem(pair.getPublic()));
        RouterModelSigner signer = new RouterModelSigner(pair.getPrivate());
        RouterModelSigner stranger =
                new RouterModelSigner(SigningKeys.generate().getPrivate());
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Topics topics = Topics.withPrefix("signed-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 2);
        RouterStreamSettings settings = Pipeline.streamSettings(
                kafka.bootstrapServers(),
                topics,
                Map.of(
                        RouterStreamSettings.ROUTER, "random:1",
                        RouterStreamSettings.MODEL_CHANNEL, "default",
                        RouterStreamSettings.MODEL_DIR, tmp.resolve("models").toString(),
                        RouterStreamSettings.MODEL_LOCATION_ROOT, shared.toString(),
                        RouterStreamSettings.TRUSTED_KEYS, publicKey.toString()));
        KafkaConnection connection = KafkaConnection.to(kafka.bootstrapServers());

        try (KafkaProducer<String, byte[]> models = KafkaTestClients.producer(kafka.bootstrapServers());
                RouterPublisher publisher = new RouterPublisher(connection, topics, signer);
                RouterPublisher rollback = new RouterPublisher(connection, topics);
                RouterStreamApp app = RouterStreamApp.start(settings, new RandomRouter(1), SEEDED_OR_TRAINED)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // when / then: a signed version is served
            publisher.publish(seeded(shared, 2));
            awaitServed(app, "seed-2");

            // an unsigned one is refused; the next signed one served
            send(models, topics, seeded(shared, 3));
            publisher.publish(seeded(shared, 4));
            awaitServed(app, "seed-4");

            // one signed by another key, and one carrying a signature made for other content, are refused
            send(models, topics, stranger.sign(seeded(shared, 5)));
            RouterModel signed6 = signer.sign(seeded(shared, 6));
            RouterModel forged = seeded(shared, 7).signed(signed6.signature(), signed6.keyId());
            send(models, topics, forged);
            publisher.publish(seeded(shared, 8));
            awaitServed(app, "seed-8");

            // a signed trained router whose card names its head by an absolute path outside the artifact is refused
            publisher.publish(RouterModel.inline(
                    "default", "escape-1", "mf", escapingRouter(tmp), System.currentTimeMillis(), "test"));
            publisher.publish(seeded(shared, 9));
            awaitServed(app, "seed-9");

            // a signed location outside the root is refused; a location inside it is served
            Path outside = seedDir(tmp, "outside-10", "10");
            publisher.publish(RouterModel.byLocation("default", "seed-10", "random", outside, 1, null));
            publisher.publish(
                    RouterModel.byLocation("default", "seed-11", "random", seedDir(shared, "v11", "11"), 1, null));
            awaitServed(app, "seed-11");

            // a rollback keeps the signature the version was published with
            rollback.rollback("default", "seed-2", Duration.ofSeconds(30));
            awaitServed(app, "seed-2");

            assertThat(readDeadLetters(topics, 5))
                    .extracting(DeadLetter::reason)
                    .satisfiesExactly(
                            r -> assertThat(r).contains("seed-3 is not signed"),
                            r -> assertThat(r).contains("signed by key " + stranger.keyId() + ", which is not trusted"),
                            r -> assertThat(r)
                                    .contains("seed-7 has a signature")
                                    .contains("does not verify"),
                            r -> assertThat(r)
                                    .contains("escape-1 cannot be served")
                                    .contains("is not a relative path inside the artifact"),
                            r -> assertThat(r)
                                    .contains("location " + outside.toAbsolutePath())
                                    .contains("is outside the location root"));
        }
    }

    private static RouterModel seeded(Path dir, int seed) throws IOException {
        return RouterModel.inline(
                "default", "seed-" + seed, "random", seedDir(dir, "v" + seed, Integer.toString(seed)), 1, "test");
    }

    /** The shipped static-mf router, its card naming as head an ONNX file outside the artifact (probe 4). */
    private static Path escapingRouter(Path tmp) throws IOException {
        Path outside =
                Files.createDirectories(tmp.resolve("not-in-the-artifact")).resolve("mf.onnx");
        Path artifact = Files.createDirectories(tmp.resolve("escaping-router"));
        try (InputStream onnx = RouterHotSwapIT.class.getResourceAsStream("/kroute/routers/static-mf/mf.onnx");
                InputStream card =
                        RouterHotSwapIT.class.getResourceAsStream("/kroute/routers/static-mf/model-card.json")) {
            Files.copy(onnx, outside);
            ObjectNode json = (ObjectNode) ModelCard.JSON.readTree(card);
            json.put("head", outside.toAbsolutePath().toString());
            Files.write(artifact.resolve(ModelCard.FILE), ModelCard.JSON.writeValueAsBytes(json));
        }
        return artifact;
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, RouterModel model)
            throws Exception {
        producer.send(new ProducerRecord<>(topics.routerModels().name(), "default", Codecs.ROUTER_MODEL.encode(model)))
                .get();
    }

    private static Path seedDir(Path tmp, String name, String seed) throws IOException {
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

    /** The first {@code expected} dead letters, in the order they were written. */
    private static List<DeadLetter> readDeadLetters(Topics topics, int expected) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
            consumer.subscribe(List.of(topics.deadLetters().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(Codecs.DEAD_LETTER.decode(record.value()));
                }
            }
        }
        assertThat(letters).as("dead letters of refused router models").hasSizeGreaterThanOrEqualTo(expected);
        return letters.subList(0, expected);
    }
}
