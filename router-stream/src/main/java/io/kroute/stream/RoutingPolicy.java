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
 * forces a tier. The router (and its threshold) can be replaced while the stream runs, see {@link LiveRouter}.
 */
public final class RoutingPolicy {

    private final LiveRouter live;
    private final String strongModel;
    private final String weakModel;
    private final Clock clock;

    public RoutingPolicy(LiveRouter live, String strongModel, String weakModel, Clock clock) {
        this.live = live;
        this.strongModel = strongModel;
        this.weakModel = weakModel;
        this.clock = clock;
    }

    /** A policy with a fixed router and threshold. */
    public RoutingPolicy(Router router, double threshold, String strongModel, String weakModel, Clock clock) {
        this(new LiveRouter(router, LiveRouter.ThresholdRule.fixed(threshold)), strongModel, weakModel, clock);
    }

    public RoutingDecision decide(PromptRequest request) {
        return live.apply(active -> decide(request, active));
    }

    private RoutingDecision decide(PromptRequest request, LiveRouter.Active active) {
        Router router = active.router();
        double score = router.score(request.lastUserText());
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalStateException("router " + router.info().kind() + " returned score " + score);
        }
        RoutingHints hints = request.routing();
        boolean forced = hints != null && hints.forceTier() != null;
        Tier tier = forced ? hints.forceTier() : (score >= active.threshold() ? Tier.STRONG : Tier.WEAK);
        RouterInfo info = router.info();
        return new RoutingDecision(
                tier, modelFor(tier), score, info.kind(), info.version(), active.threshold(), forced, clock.millis());
    }

    public String modelFor(Tier tier) {
        return tier == Tier.STRONG ? strongModel : weakModel;
    }

    /** The threshold in service now. */
    public double threshold() {
        return live.current().threshold();
    }

    /** The router in service now. */
    public Router router() {
        return live.current().router();
    }

    public LiveRouter live() {
        return live;
    }
}
