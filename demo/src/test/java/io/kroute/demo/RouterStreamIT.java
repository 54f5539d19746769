package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.RandomRouter;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RoutingPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The routing topology with exactly-once on a real broker: every prompt lands on exactly one queue or dead letters. */
@Tag("integration")
@Timeout(180)
class RouterStreamIT {

    private static final EmbeddedKafka kafka = EmbeddedKafka.shared();

    @Test
    void every_prompt_lands_on_exactly_one_queue_or_the_dead_letter_topic() throws Exception {
        // given
        Topics topics = Topics.withPrefix("rs-" + UUID.randomUUID() + "-");
        kafka.createTopics(topics, 3);
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rs-it-" + UUID.randomUUID());
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                java.nio.file.Files.createTempDirectory("rs-it").toString());
        RoutingPolicy policy = new RoutingPolicy(new RandomRouter(1), 0.5, "strong-m", "weak-m", Clock.systemUTC());

        try (RouterStreamApp app = RouterStreamApp.start(props, topics, policy);
                PromptProducer producer = new PromptProducer(
                        kafka.bootstrapServers(), topics.prompts().name())) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // when
            for (int i = 0; i < 200; i++) {
                if (i % 20 == 7) {
                    producer.sendRaw("p-" + i, ("{broken " + i).getBytes(StandardCharsets.UTF_8));
                } else {
                    producer.send(new PromptRequest(
                            "p-" + i, "t", List.of(ChatMessage.user("question " + i)), 32, Map.of(), null, 1));
                }
            }
            producer.flush();

            // then
            Map<String, Tier> routed = new HashMap<>();
            Set<String> dead = new HashSet<>();
            int duplicates = 0;
            try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.readCommitted(kafka.bootstrapServers())) {
                consumer.subscribe(List.of(
                        topics.strongQueue().name(),
                        topics.weakQueue().name(),
                        topics.deadLetters().name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (routed.size() + dead.size() < 200 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.topic().equals(topics.deadLetters().name())) {
                            DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
                            duplicates += dead.add(letter.key()) ? 0 : 1;
                        } else {
                            RoutedPrompt prompt = Codecs.ROUTED_PROMPT.decode(record.value());
                            Tier expected =
                                    record.topic().equals(topics.strongQueue().name()) ? Tier.STRONG : Tier.WEAK;
                            assertThat(prompt.decision().tier()).isEqualTo(expected);
                            assertThat(record.key()).isEqualTo(prompt.request().id());
                            duplicates += routed.put(record.key(), expected) == null ? 0 : 1;
                        }
                    }
                }
            }
            assertThat(dead).hasSize(10);
            assertThat(routed).hasSize(190);
            assertThat(duplicates).isZero();
            long strong = routed.values().stream().filter(t -> t == Tier.STRONG).count();
            assertThat(strong).as("random router at threshold 0.5").isBetween(60L, 130L);
        }
    }
}
