package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.RouterModelSigner;
import io.kroute.schemas.SigningKeys;
import io.kroute.schemas.Topics;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The watcher against a scripted {@code router-models} topic: whatever one record holds (no signature, another
 * publisher's, a location at {@code /etc} or at a 3 GB file, a head that exhausts the heap, a wrong checksum over 1 MB
 * of junk), it is dead-lettered with the reason, the router in service stays, and the next valid version is served.
 */
@Timeout(60)
class RouterModelWatcherTest {

    private static final String TOPIC = Topics.DEFAULT.routerModels().name();
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final KeyPair PUBLISHER = SigningKeys.generate();
    private static final RouterModelSigner SIGNER = new RouterModelSigner(PUBLISHER.getPrivate());

    /** An artifact is a directory with a {@code version} file; one with an {@code oom} file exhausts the heap. */
    private static final Function<Path, Router> LOADER = dir -> {
        if (Files.exists(dir.resolve("oom"))) {
            throw new OutOfMemoryError("Java heap space");
        }
        try {
            return new VersionRouter(Files.readString(dir.resolve("version")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    private record VersionRouter(String version) implements Router {
        @Override
        public double score(String prompt) {
            return 0.5;
        }

        @Override
        public double thresholdForStrongShare(double strongShare) {
            return 0.5;
        }

        @Override
        public RouterInfo info() {
            return new RouterInfo("test", version);
        }
    }

    /** A mock topic that waits a little when it has nothing, as a broker would, instead of spinning a core. */
    private static final class IdleConsumer extends MockConsumer<String, byte[]> {
        IdleConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }
    }

    @TempDir
    Path tmp;

    private final IdleConsumer topic = new IdleConsumer();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private MockProducer<String, byte[]> deadLetters =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private RouterModelWatcher watcher;
    private long offset;

    @BeforeEach
    void logs() {
        log.start();
        ((Logger) LoggerFactory.getLogger(RouterModelWatcher.class)).addAppender(log);
    }

    @AfterEach
    void close() throws Exception {
        ((Logger) LoggerFactory.getLogger(RouterModelWatcher.class)).detachAppender(log);
        if (watcher != null) {
            watcher.close();
        }
    }

    /** A watcher following channel {@code default} from an empty topic, serving {@code v1}. */
    private RouterModelWatcher follow(Map<String, String> config) {
        Properties props = new Properties();
        props.put(RouterStreamSettings.MODEL_CHANNEL, "default");
        props.put(RouterStreamSettings.MODEL_DIR, tmp.resolve("models").toString());
        props.putAll(config);
        RouterStreamSettings settings = RouterStreamSettings.fromProperties(props);
        LiveRouter live = new LiveRouter(new VersionRouter("v1"), LiveRouter.ThresholdRule.fixed(0.5));
        topic.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        topic.updateBeginningOffsets(Map.of(PARTITION, 0L));
        topic.updateEndOffsets(Map.of(PARTITION, 0L));
        watcher = new RouterModelWatcher(settings, live, LOADER, topic, deadLetters);
        watcher.catchUp(Duration.ofSeconds(5));
        watcher.start();
        return watcher;
    }

    /** Trusts the test publisher's key and lets locations point into {@code tmp/shared}. */
    private RouterModelWatcher followTrusting() throws IOException {
        Path publicKey = tmp.resolve("publisher.pub.pem");
        Files.writeString(publicKey, SigningKeys.publicPem(PUBLISHER.getPublic()));
        Files.createDirectories(tmp.resolve("shared"));
        return follow(Map.of(
                RouterStreamSettings.TRUSTED_KEYS, publicKey.toString(),
                RouterStreamSettings.MODEL_LOCATION_ROOT, tmp.resolve("shared").toString()));
    }

    private Path artifact(String version, String... extraFiles) throws IOException {
        Path dir = tmp.resolve("shared").resolve(version);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("version"), version);
        for (String file : extraFiles) {
            Files.writeString(dir.resolve(file), file);
        }
        return dir;
    }

    private RouterModel inline(String version, String... extraFiles) throws IOException {
        return RouterModel.inline("default", version, "test", artifact(version, extraFiles), 1, "test");
    }

    private void publish(RouterModel model) {
        topic.addRecord(new ConsumerRecord<>(TOPIC, 0, offset++, model.channel(), Codecs.ROUTER_MODEL.encode(model)));
    }

    private void awaitServed(String version) throws InterruptedException {
        await(() -> version.equals(watcher.servedVersion()));
        assertThat(watcher.servedVersion()).isEqualTo(version);
        assertThat(watcher.isFollowing()).isTrue();
    }

    private List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>();
        for (ProducerRecord<String, byte[]> record : deadLetters.history()) {
            assertThat(record.topic()).isEqualTo(Topics.DEFAULT.deadLetters().name());
            letters.add(Codecs.DEAD_LETTER.decode(record.value()));
        }
        return letters;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void a_trusted_key_file_that_is_not_a_public_key_stops_the_start_naming_its_key() throws Exception {
        Path privateKey = tmp.resolve("publisher.key.pem");
        Files.writeString(privateKey, SigningKeys.privatePem(PUBLISHER.getPrivate()));
        Properties props = new Properties();
        props.put(RouterStreamSettings.TRUSTED_KEYS, tmp.resolve("missing.pem") + ", " + privateKey);

        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(RouterStreamSettings.TRUSTED_KEYS + ": cannot read key file");
    }

    @Test
    void with_trusted_keys_an_unsigned_or_wrongly_signed_artifact_is_refused_and_a_signed_one_served()
            throws Exception {
        // given
        followTrusting();
        RouterModel byStranger = new RouterModelSigner(SigningKeys.generate().getPrivate()).sign(inline("v3"));
        RouterModel signed = SIGNER.sign(inline("v5"));
        RouterModel forged = new RouterModel(
                "default",
                "v4",
                "test",
                signed.sha256(),
                signed.files(),
                null,
                1,
                null,
                signed.signature(),
                signed.keyId());

        // when
        publish(inline("v2"));
        publish(byStranger);
        publish(forged);
        publish(signed);

        // then
        awaitServed("v5");
        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("v2 is not signed"),
                        r -> assertThat(r).contains("which is not trusted"),
                        r -> assertThat(r)
                                .contains("v4 has a signature of key " + SIGNER.keyId())
                                .contains("does not verify"));
        assertThat(deadLetters()).extracting(DeadLetter::stage).containsOnly(RouterModelWatcher.STAGE);
    }

    @Test
    void without_trusted_keys_unsigned_artifacts_are_served_after_a_warning_and_locations_refused() throws Exception {
        // given
        follow(Map.of());
        Path location = artifact("v3");

        // when
        publish(inline("v2"));
        publish(RouterModel.byLocation("default", "v3", "test", location, 1, null));
        publish(inline("v4"));

        // then
        awaitServed("v4");
        assertThat(log.list)
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("router models of channel default are not authenticated"));
        assertThat(deadLetters())
                .singleElement()
                .extracting(DeadLetter::reason)
                .asString()
                .contains("travels by location and no location root is configured");
    }

    // probe 7: a location at /etc was read whole; one at a 3 GB file killed the watcher with OutOfMemoryError
    @Test
    void a_location_outside_the_root_or_too_large_is_refused_and_the_next_version_served() throws Exception {
        // given
        followTrusting();
        Path huge = Files.createDirectories(tmp.resolve("shared/huge"));
        try (RandomAccessFile file =
                new RandomAccessFile(huge.resolve("head.onnx").toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024); // sparse
        }
        RouterModel etc = SIGNER.sign(
                new RouterModel("default", "v2", "test", "0".repeat(64), null, "/etc", 1, null, null, null));
        RouterModel large = SIGNER.sign(
                new RouterModel("default", "v3", "test", "0".repeat(64), null, huge.toString(), 1, null, null, null));

        // when
        publish(etc);
        publish(large);
        publish(SIGNER.sign(RouterModel.byLocation("default", "v4", "test", artifact("v4"), 1, null)));

        // then
        awaitServed("v4");
        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("location /etc is outside the location root"),
                        r -> assertThat(r).contains("head.onnx' has 3221225472 bytes, more than"));
    }

    @Test
    void an_out_of_memory_error_while_loading_one_version_does_not_stop_the_watcher() throws Exception {
        // given
        followTrusting();

        // when
        publish(SIGNER.sign(inline("v2", "oom")));
        publish(SIGNER.sign(inline("v3")));

        // then
        awaitServed("v3");
        assertThat(deadLetters())
                .singleElement()
                .extracting(DeadLetter::reason)
                .asString()
                .contains("v2 cannot be served: java.lang.OutOfMemoryError: Java heap space");
    }

    // probe 8: files of a corrupt artifact were left on disk; its 1.78 MB dead letter was lost by an unchecked send
    @Test
    void a_corrupt_inline_artifact_leaves_no_file_and_a_failed_dead_letter_is_logged_with_its_cause() throws Exception {
        // given: a dead-letter topic that refuses the write
        deadLetters = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        followTrusting();
        RouterModel good = inline("v2");
        Map<String, String> files = new HashMap<>(good.files());
        files.put("junk.bin", Base64.getEncoder().encodeToString(new byte[1024 * 1024]));
        RouterModel corrupt =
                SIGNER.sign(new RouterModel("default", "v2", "test", "0".repeat(64), files, null, 1, null, null, null));

        // when
        publish(corrupt);
        await(() -> deadLetters.history().size() == 1);
        deadLetters.errorNext(new IllegalStateException("dead-letter topic unavailable"));
        publish(SIGNER.sign(inline("v3")));

        // then
        awaitServed("v3");
        ProducerRecord<String, byte[]> letter = deadLetters.history().get(0);
        assertThat(letter.value().length).isLessThan(128 * 1024);
        assertThat(Codecs.DEAD_LETTER.decode(letter.value()).reason()).contains("checksum mismatch");
        try (Stream<Path> models = Files.walk(tmp.resolve("models"))) {
            assertThat(models.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .containsExactly("version"); // v3's only file
        }
        assertThat(log.list)
                .filteredOn(e -> e.getLevel() == Level.ERROR)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getFormattedMessage()).contains("dead letter", "offset 0", "was not written");
                    assertThat(e.getThrowableProxy().getMessage()).isEqualTo("dead-letter topic unavailable");
                });
    }
}
