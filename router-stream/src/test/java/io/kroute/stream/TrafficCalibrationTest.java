package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router's card says "threshold 0.7 for 30% strong", but the traffic scores higher than its calibration sample:
 * card calibration then sends most of it to strong, traffic calibration keeps the share.
 */
class TrafficCalibrationTest {

    private static final double SHARE = 0.3;

    /** Scores what the prompt says ("score 0.734"); its card threshold for a share p is 1 - p. */
    private record SaysItsScore(String version) implements Router {
        @Override
        public double score(String prompt) {
            return Double.parseDouble(prompt.substring("score ".length()));
        }

        @Override
        public double thresholdForStrongShare(double strongShare) {
            return 1 - strongShare;
        }

        @Override
        public RouterInfo info() {
            return new RouterInfo("says", version);
        }
    }

    private TopologyHarness harness;
    private final Random random = new Random(11);
    private int sent;

    private RoutingPolicy start(TrafficCalibration calibration) {
        RoutingPolicy card = new RoutingPolicy(
                new LiveRouter(new SaysItsScore("v1"), LiveRouter.ThresholdRule.share(SHARE)),
                "big",
                "small",
                Clock.systemUTC());
        RoutingPolicy policy = calibration == null ? card : card.calibratedOnTraffic(calibration);
        harness = new TopologyHarness(policy);
        return policy;
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Sends {@code n} prompts scoring uniformly in [low, high) and returns their decisions in order. */
    private List<RoutingDecision> sendScores(int n, double low, double high) {
        for (int i = 0; i < n; i++) {
            String id = "p" + sent++;
            String text = String.format(Locale.ROOT, "score %.6f", low + (high - low) * random.nextDouble());
            PromptRequest request = new PromptRequest(id, "t", List.of(ChatMessage.user(text)), 100, Map.of(), null, 5);
            harness.prompts.pipeInput(id.getBytes(StandardCharsets.UTF_8), Codecs.PROMPT_REQUEST.encode(request));
        }
        List<RoutedPrompt> routed = new ArrayList<>(harness.strong.readValuesToList());
        routed.addAll(harness.weak.readValuesToList());
        assertThat(routed).hasSize(n);
        // in the order sent: ids count up
        routed.sort(
                Comparator.comparingInt(p -> Integer.parseInt(p.request().id().substring(1))));
        return routed.stream().map(RoutedPrompt::decision).toList();
    }

    private static double strongShare(List<RoutingDecision> decisions) {
        return decisions.stream().filter(d -> d.tier() == Tier.STRONG).count() / (double) decisions.size();
    }

    @Test
    void card_calibration_misses_the_share_on_shifted_traffic() {
        start(null);
        // scores in [0.6, 1.0): three quarters are above the card's 0.7
        assertThat(strongShare(sendScores(2_000, 0.6, 1.0))).isBetween(0.70, 0.80);
    }

    @Test
    void traffic_calibration_keeps_the_share_after_warm_up() {
        start(new TrafficCalibration(SHARE, 500, 100));
        List<RoutingDecision> decisions = sendScores(2_100, 0.6, 1.0);

        // warm-up: the card's threshold
        assertThat(decisions.subList(0, 99)).allMatch(d -> d.threshold() == 1 - SHARE);
        // then the 70th percentile of the last 500 scores, about 0.88 on this traffic
        List<RoutingDecision> warm = decisions.subList(100, decisions.size());
        assertThat(warm).allMatch(d -> d.threshold() > 0.8 && d.threshold() < 0.95);
        assertThat(strongShare(warm)).isBetween(0.27, 0.33);

        // the traffic shifts down: within a window the share is back
        List<RoutingDecision> shifted = sendScores(2_000, 0.0, 0.5);
        assertThat(strongShare(shifted.subList(500, shifted.size()))).isBetween(0.27, 0.33);
    }

    @Test
    void the_window_is_rebuilt_from_its_store_and_a_new_router_version_starts_it_over() {
        RoutingPolicy policy = start(new TrafficCalibration(SHARE, 300, 50));
        List<RoutingDecision> decisions = sendScores(1_000, 0.6, 1.0);
        KeyValueStore<String, byte[]> store = harness.driver.getKeyValueStore(RecentScores.STORE);

        RecentScores restored = RecentScores.restore(new TrafficCalibration(SHARE, 300, 50), store);
        assertThat(restored.size()).isEqualTo(300);
        assertThat(restored.threshold())
                .isEqualTo(decisions.get(decisions.size() - 1).threshold());
        // a store written with a smaller window than configured now is refused, not misread
        assertThat(RecentScores.restore(new TrafficCalibration(SHARE, 100, 50), store)
                        .size())
                .isZero();

        policy.live().swap(new SaysItsScore("v2"));
        List<RoutingDecision> afterSwap = sendScores(60, 0.6, 1.0);
        assertThat(afterSwap.subList(0, 49))
                .allMatch(d -> d.threshold() == 1 - SHARE && d.routerVersion().equals("v2"));
        assertThat(afterSwap.get(59).threshold()).isGreaterThan(0.8);
    }

    @Test
    void settings_parse_the_mode_and_refuse_what_does_not_fit() {
        Properties props = new Properties();
        props.setProperty(RouterStreamSettings.CALIBRATION, "traffic");
        props.setProperty(RouterStreamSettings.STRONG_SHARE, "0.25");
        props.setProperty(RouterStreamSettings.CALIBRATION_WINDOW, "800");
        RouterStreamSettings settings = RouterStreamSettings.fromProperties(props);
        assertThat(settings.traffic()).isEqualTo(new TrafficCalibration(0.25, 800, TrafficCalibration.DEFAULT_WARMUP));
        assertThat(settings.policy(new SaysItsScore("v")).trafficCalibration()).isEqualTo(settings.traffic());

        props.setProperty(RouterStreamSettings.CALIBRATION_WARMUP, "900");
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                .hasMessage("kroute.calibration: calibration warm-up must be in [1, window=800], got 900");
        props.setProperty(RouterStreamSettings.CALIBRATION_WINDOW, "many");
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                .hasMessage("kroute.calibration.window is not a whole number: 'many'");
        props.setProperty(RouterStreamSettings.CALIBRATION, "magic");
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                .hasMessage("kroute.calibration must be 'card' or 'traffic', got 'magic'");
        props.setProperty(RouterStreamSettings.CALIBRATION, "traffic");
        props.setProperty(RouterStreamSettings.THRESHOLD, "0.4");
        assertThatThrownBy(() -> RouterStreamSettings.fromProperties(props))
                .hasMessageStartingWith("kroute.calibration=traffic sets the threshold from kroute.strong-share");
        props.setProperty(RouterStreamSettings.CALIBRATION, "card");
        assertThat(RouterStreamSettings.fromProperties(props).traffic()).isNull();
    }
}
