package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Scoring a partition's prompts in batches, without losing or reordering one, through a crash too. */
class BatchedRoutingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);
    private static final Batching FOUR = new Batching(4, Duration.ofMillis(50));

    private static RoutingPolicy policy() {
        return new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", CLOCK);
    }

    private static byte[] prompt(String id, String text) {
        return Codecs.PROMPT_REQUEST.encode(
                new PromptRequest(id, "t", List.of(ChatMessage.user(text)), 100, Map.of(), null, 5));
    }

    private static void send(TopologyHarness harness, String id, String text) {
        harness.prompts.pipeInput(id.getBytes(StandardCharsets.UTF_8), prompt(id, text));
    }

    @Test
    void a_full_batch_is_routed_at_once_in_the_order_it_came() {
        try (TopologyHarness harness = new TopologyHarness(policy(), FOUR)) {
            // given: three prompts, one short of a batch
            send(harness, "p1", "hard one");
            send(harness, "p2", "easy one");
            send(harness, "p3", "hard two");
            assertThat(harness.strong.isEmpty()).isTrue();
            assertThat(harness.weak.isEmpty()).isTrue();

            // when
            send(harness, "p4", "easy two");

            // then
            assertThat(harness.strong.readKeyValuesToList())
                    .extracting(kv -> kv.key)
                    .containsExactly("p1", "p3");
            List<RoutedPrompt> weak = harness.weak.readValuesToList();
            assertThat(weak).extracting(p -> p.request().id()).containsExactly("p2", "p4");
            assertThat(weak.get(0).decision().score()).isEqualTo(0.1);
        }
    }

    @Test
    void a_batch_that_does_not_fill_is_routed_after_the_wait() {
        try (TopologyHarness harness = new TopologyHarness(policy(), FOUR)) {
            send(harness, "p1", "hard one");
            send(harness, "p2", "easy one");
            harness.driver.advanceWallClockTime(Duration.ofMillis(10));
            assertThat(harness.strong.isEmpty()).isTrue();

            harness.driver.advanceWallClockTime(Duration.ofMillis(60));

            assertThat(harness.strong.readValuesToList()).hasSize(1);
            assertThat(harness.weak.readValuesToList()).hasSize(1);
        }
    }

    @Test
    void a_prompt_the_router_cannot_score_is_dead_lettered_alone_and_its_batch_is_routed() {
        try (TopologyHarness harness = new TopologyHarness(policy(), FOUR)) {
            send(harness, "p1", "hard one");
            send(harness, "p2", "boom");
            send(harness, "p3", "easy one");
            send(harness, "p4", "hard two");

            assertThat(harness.strong.readValuesToList()).hasSize(2);
            assertThat(harness.weak.readValuesToList()).hasSize(1);
            DeadLetter letter = harness.deadLetters.readValue();
            assertThat(letter.key()).isEqualTo("p2");
            assertThat(letter.reason()).startsWith("router failed").contains("scorer exploded");
            assertThat(letter.offset()).isEqualTo(1);
        }
    }

    @Test
    void prompts_waiting_when_a_task_dies_are_routed_by_the_task_that_restores_its_store() {
        // given: a task with two prompts waiting for their batch, in its store
        KeyValueStore<Long, byte[]> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(PendingPrompts.STORE), Serdes.Long(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        MockProcessorContext<String, RoutingOutcome> crashed = new MockProcessorContext<>();
        store.init(crashed.getStateStoreContext(), store);
        crashed.addStateStore(store);
        RoutePromptProcessor first =
                new RoutePromptProcessor(policy(), RouterMetrics.noop(), RoutingOptions.SIMPLE.withBatching(FOUR));
        first.init(crashed);
        crashed.setRecordMetadata("llm-prompts", 0, 41);
        first.process(new Record<>("p41".getBytes(StandardCharsets.UTF_8), prompt("p41", "hard one"), 7));
        crashed.setRecordMetadata("llm-prompts", 0, 42);
        first.process(new Record<>("p42".getBytes(StandardCharsets.UTF_8), prompt("p42", "easy one"), 8));
        assertThat(crashed.forwarded()).isEmpty();

        // when: the task dies without routing them; another instance restores the store
        MockProcessorContext<String, RoutingOutcome> restored = new MockProcessorContext<>();
        restored.setCurrentSystemTimeMs(100);
        restored.addStateStore(store);
        RoutePromptProcessor second =
                new RoutePromptProcessor(policy(), RouterMetrics.noop(), RoutingOptions.SIMPLE.withBatching(FOUR));
        second.init(restored);
        restored.scheduledPunctuators().get(0).getPunctuator().punctuate(100);

        // then: both routed, in offset order, with their record times, and the store is empty
        List<MockProcessorContext.CapturedForward<? extends String, ? extends RoutingOutcome>> out =
                restored.forwarded();
        assertThat(out.stream().map(f -> (String) f.record().key()).toList()).containsExactly("p41", "p42");
        assertThat(out.stream().map(f -> f.record().timestamp()).toList()).containsExactly(7L, 8L);
        assertThat(store.approximateNumEntries()).isZero();
    }
}
