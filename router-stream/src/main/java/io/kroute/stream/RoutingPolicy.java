package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import java.time.Clock;

/**
 * Turns a router's score into a decision: strong when the score is at or above the threshold, unless the request
 * forces a tier.
 */
public final class RoutingPolicy {

    private final Router router;
    private final double threshold;
    private final String strongModel;
    private final String weakModel;
    private final Clock clock;

    public RoutingPolicy(Router router, double threshold, String strongModel, String weakModel, Clock clock) {
        this.router = router;
        this.threshold = threshold;
        this.strongModel = strongModel;
        this.weakModel = weakModel;
        this.clock = clock;
    }

    public RoutingDecision decide(PromptRequest request) {
        double score = router.score(request.lastUserText());
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalStateException("router " + router.info().kind() + " returned score " + score);
        }
        RoutingHints hints = request.routing();
        boolean forced = hints != null && hints.forceTier() != null;
        Tier tier = forced ? hints.forceTier() : (score >= threshold ? Tier.STRONG : Tier.WEAK);
        RouterInfo info = router.info();
        return new RoutingDecision(
                tier, modelFor(tier), score, info.kind(), info.version(), threshold, forced, clock.millis());
    }

    public String modelFor(Tier tier) {
        return tier == Tier.STRONG ? strongModel : weakModel;
    }

    public double threshold() {
        return threshold;
    }

    public Router router() {
        return router;
    }
}
