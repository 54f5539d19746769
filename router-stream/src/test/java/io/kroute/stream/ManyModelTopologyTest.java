package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.router.multi.CostAwareSelector;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** Three models, three queues: each prompt lands on the queue of the model the selector chooses, and only there. */
class ManyModelTopologyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);
    private static final Topics TOPICS = Topics.DEFAULT;

    static Properties threeModels(String selector, String key, String value) {
        Properties p = new Properties();
        p.setProperty("kroute.router", "unused");
        p.setProperty("kroute.models", "big,mid,small");
        p.setProperty("kroute.model.big.name", "big-model");
        p.setProperty("kroute.model.big.input-per-million", "10");
        p.setProperty("kroute.model.big.output-per-million", "30");
        p.setProperty("kroute.model.mid.name", "mid-model");
        p.setProperty("kroute.model.mid.input-per-million", "1");
        p.setProperty("kroute.model.mid.output-per-million", "2");
        p.setProperty("kroute.model.small.name", "small-model");
        p.setProperty("kroute.model.small.input-per-million", "0.2");
        p.setProperty("kroute.model.small.output-per-million", "0.2");
        p.setProperty("kroute.selector", selector);
        p.setProperty(key, value);
        return p;
    }

    static RoutingPolicy policy(Properties props) {
        return RouterStreamSettings.fromProperties(props).manyModelPolicy(new FakePredictor());
    }

    private static byte[] prompt(String id, String text, RoutingHints hints) {
        return Codecs.PROMPT_REQUEST.encode(
                new PromptRequest(id, "t", List.of(ChatMessage.user(text)), 100, Map.of(), hints, 5));
    }

    @Test
    void each_prompt_goes_to_the_queue_of_the_model_chosen_and_nowhere_else() {
        // given the cheapest model within 0.5 of the best predicted quality
        RoutingPolicy policy = policy(threeModels("cheapest-within", "kroute.selector.tolerance", "0.5"));
        try (TopologyTestDriver driver = new TopologyTestDriver(
                RouterTopology.build(new StreamsBuilder(), TOPICS, policy), RouterTopology.config(new Properties()))) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic(
                    TOPICS.prompts().name(),
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            // when
            in.pipeInput("a".getBytes(StandardCharsets.UTF_8), prompt("a", "hard question", null));
            in.pipeInput("b".getBytes(StandardCharsets.UTF_8), prompt("b", "medium question", null));
            in.pipeInput("c".getBytes(StandardCharsets.UTF_8), prompt("c", "easy question", null));
            in.pipeInput(
                    "d".getBytes(StandardCharsets.UTF_8),
                    prompt("d", "easy but forced", new RoutingHints(Tier.STRONG)));
            in.pipeInput("e".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
            // then
            Map<String, RoutedPrompt> big = read(driver, "big");
            Map<String, RoutedPrompt> mid = read(driver, "mid");
            Map<String, RoutedPrompt> small = read(driver, "small");
            assertThat(big).containsOnlyKeys("a", "d");
            assertThat(mid).containsOnlyKeys("b");
            assertThat(small).containsOnlyKeys("c");
            assertThat(big.get("a").decision().queue()).isEqualTo("big");
            assertThat(big.get("a").decision().tier()).isEqualTo(Tier.STRONG);
            assertThat(big.get("a").decision().model()).isEqualTo("big-model");
            assertThat(big.get("d").decision().forced()).isTrue();
            assertThat(mid.get("b").decision().tier()).isEqualTo(Tier.WEAK);
            assertThat(mid.get("b").decision().score()).isBetween(0.0, 1.0);
            assertThat(small.get("c").decision().model()).isEqualTo("small-model");
            assertThat(driver.createOutputTopic(
                                    TOPICS.deadLetters().name(),
                                    Serdes.String().deserializer(),
                                    TOPICS.deadLetters().valueSerde().deserializer())
                            .readKeyValuesToMap())
                    .containsOnlyKeys("e");
            // the two-model queues get nothing
            assertThat(read(driver, "strong")).isEmpty();
            assertThat(read(driver, "weak")).isEmpty();
        }
    }

    @Test
    void a_target_cost_calibrates_the_trade_off_on_the_predictors_sample() {
        // given a target between all-small and all-big: on the sample (hard, medium, easy, easy), big for the hard one
        // and mid for the rest costs 0.0047 USD a prompt on average, big for an easy one too 0.0085
        RoutingPolicy policy = policy(threeModels("trade-off", "kroute.selector.target-cost-usd", "0.005"));
        // then lambda was calibrated: hard prompts still go big, easy ones to mid
        assertThat(policy.selection().selector().rule()).isEqualTo(CostAwareSelector.Rule.TRADE_OFF);
        assertThat(policy.selection().selector().value()).isPositive().isFinite();
        List<String> queues = policy.selection().decide(List.of(request("hard x"), request("easy y")), CLOCK).stream()
                .map(d -> d.queue())
                .toList();
        assertThat(queues).containsExactly("big", "mid");
    }

    @Test
    void a_target_share_of_spend_is_that_share_of_what_the_most_capable_model_alone_would_cost() {
        // given: big alone costs 100 input tokens at 10 USD/M plus 500 output at 30 USD/M, 0.016 USD a prompt, so a
        // 31.25% share of that spend is the 0.005 USD target of the test above
        RoutingPolicy byShare = policy(threeModels("trade-off", "kroute.selector.target-spend-share", "0.3125"));
        RoutingPolicy byCost = policy(threeModels("trade-off", "kroute.selector.target-cost-usd", "0.005"));
        // then: the same calibrated trade-off, and the same choices
        assertThat(byShare.selection().selector().value())
                .isEqualTo(byCost.selection().selector().value());
        assertThat(byShare.selection().decide(List.of(request("hard x"), request("easy y")), CLOCK).stream()
                        .map(d -> d.queue())
                        .toList())
                .containsExactly("big", "mid");
        // and all of it sends everything to the most capable model's quality, whatever it costs
        assertThat(policy(threeModels("trade-off", "kroute.selector.target-spend-share", "1"))
                        .selection()
                        .selector()
                        .value())
                .isZero();
    }

    @Test
    void a_cost_ceiling_picks_the_best_model_that_fits() {
        // a ceiling under big's expected cost: medium goes to mid, easy to mid too (the better of those that fit)
        RoutingPolicy policy =
                policy(threeModels("max-quality-under-cost", "kroute.selector.cost-ceiling-usd", "0.005"));
        List<String> queues =
                policy
                        .selection()
                        .decide(List.of(request("medium x"), request("easy y"), request("hard z")), CLOCK)
                        .stream()
                        .map(d -> d.queue())
                        .toList();
        assertThat(queues).containsExactly("mid", "mid", "mid");
    }

    @Test
    void a_requests_own_strong_share_is_the_trade_off_that_gives_it_on_the_sample() {
        // given a deployment that sends the hard prompt of the sample to big (a quarter of it) at its target cost
        RoutingPolicy policy = policy(threeModels("trade-off", "kroute.selector.target-cost-usd", "0.005"));
        // when a batch job asks for no strong calls, and another for all of them
        // (a prompt of the sample's length: a share is calibrated on the sample, as the two-model threshold is)
        String hard = "hard " + "x".repeat(395);
        List<RoutingDecision> none =
                policy.selection().decide(List.of(request(hard, new RoutingHints(null, 0.0))), CLOCK);
        List<RoutingDecision> all =
                policy.selection().decide(List.of(request("easy y", new RoutingHints(null, 1.0))), CLOCK);
        // then the first goes to a cheaper model than big, the second to big, each with the lambda it was routed by
        assertThat(none.get(0).queue()).isNotEqualTo("big");
        assertThat(all.get(0).queue()).isEqualTo("big");
        assertThat(all.get(0).threshold()).isZero();
        assertThat(none.get(0).threshold())
                .isGreaterThan(policy.selection().selector().value());
    }

    @Test
    void a_router_that_does_not_know_a_configured_model_is_one_line() {
        Properties p = threeModels("cheapest-within", "kroute.selector.tolerance", "0.5");
        p.setProperty("kroute.model.mid.name", "gpt-7");
        assertThatThrownBy(() -> policy(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not know model 'gpt-7'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void three_model_topology_matches_its_snapshot() throws Exception {
        // queues are named after the configured models: renaming one renames its sink, which this makes visible
        RoutingPolicy policy = policy(threeModels("cheapest-within", "kroute.selector.tolerance", "0.5"));
        String described = RouterTopology.build(new StreamsBuilder(), TOPICS, policy)
                .describe()
                .toString();
        Path snapshot = Path.of("src/test/resources/topology-three-models.snapshot.txt");
        if (Boolean.getBoolean("kroute.updateSnapshots")) {
            Files.writeString(snapshot, described);
        }
        assertThat(described)
                .as("topology changed: review it, then rerun with -Dkroute.updateSnapshots=true")
                .isEqualTo(Files.readString(snapshot));
    }

    private static PromptRequest request(String text) {
        return request(text, null);
    }

    private static PromptRequest request(String text, RoutingHints hints) {
        return new PromptRequest("r-" + text.hashCode(), "t", List.of(ChatMessage.user(text)), 100, Map.of(), hints, 5);
    }

    private static Map<String, RoutedPrompt> read(TopologyTestDriver driver, String queue) {
        TestOutputTopic<String, RoutedPrompt> out = driver.createOutputTopic(
                TOPICS.queue(queue).name(),
                Serdes.String().deserializer(),
                TOPICS.queue(queue).valueSerde().deserializer());
        return out.readKeyValuesToMap();
    }
}
