package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A request that names its own strong share (a batch job's) is routed with the threshold for that share. */
class RequestShareTest {

    private final RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", Clock.systemUTC());

    @Test
    void a_request_share_replaces_the_deployment_threshold() {
        // FixedRouter scores an easy prompt 0.1; its threshold for share s is 1 - s
        RoutingDecision deployment = policy.decide(request(null));
        RoutingDecision generous = policy.decide(request(new RoutingHints(null, 0.95)));
        RoutingDecision stingy = policy.decide(request(new RoutingHints(null, 0.05)));

        assertThat(deployment.tier()).isEqualTo(Tier.WEAK);
        assertThat(deployment.threshold()).isEqualTo(0.5);
        assertThat(generous.tier()).isEqualTo(Tier.STRONG);
        assertThat(generous.threshold()).isEqualTo(0.05, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(generous.forced()).isFalse();
        assertThat(stingy.tier()).isEqualTo(Tier.WEAK);
    }

    @Test
    void a_forced_tier_still_wins_over_a_share() {
        RoutingDecision decision = policy.decide(request(new RoutingHints(Tier.WEAK, 0.95)));

        assertThat(decision.tier()).isEqualTo(Tier.WEAK);
        assertThat(decision.forced()).isTrue();
    }

    private static PromptRequest request(RoutingHints hints) {
        return new PromptRequest("r1", "t", List.of(ChatMessage.user("an easy one")), null, Map.of(), hints, 1);
    }
}
