package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a router's score into a decision: strong when the score is at or above the threshold, unless the request
 * forces a tier. The router (and its threshold) can be replaced while the stream runs, see {@link LiveRouter}. The
 * threshold is the router's (from its calibration card, or fixed) unless the policy calibrates on traffic: then each
 * stream task takes it from the scores of its recent prompts ({@link TrafficCalibration}, {@link RecentScores}).
 */
public final class RoutingPolicy {

    private final LiveRouter live;
    private final String strongModel;
    private final String weakModel;
    private final Clock clock;
    private final TrafficCalibration traffic;
    /** Whether decisions go through the {@link ModelSelection} of the {@link SelectionRouter} in service. */
    private final boolean manyModels;

    public RoutingPolicy(LiveRouter live, String strongModel, String weakModel, Clock clock) {
        this(live, strongModel, weakModel, clock, null, false);
    }

    private RoutingPolicy(
            LiveRouter live,
            String strongModel,
            String weakModel,
            Clock clock,
            TrafficCalibration traffic,
            boolean manyModels) {
        this.live = live;
        this.strongModel = strongModel;
        this.weakModel = weakModel;
        this.clock = clock;
        this.traffic = traffic;
        this.manyModels = manyModels;
    }

    /**
     * A policy over many models: each prompt goes to the queue of the model the selection in service chooses. The
     * selection can be replaced while the stream runs ({@link LiveRouter#swap} with a {@link SelectionRouter}), over
     * the same queues. The strong and weak model names are those of the most capable and the cheapest queue of the
     * first selection; each decision names the model its own selection chose.
     */
    public static RoutingPolicy manyModels(ModelSelection selection, Clock clock) {
        return new RoutingPolicy(
                new LiveRouter(new SelectionRouter(selection), LiveRouter.ThresholdRule.fixed(0)),
                selection.modelFor(Tier.STRONG),
                selection.modelFor(Tier.WEAK),
                clock,
                null,
                true);
    }

    /** The many-model selection in service, or null when the policy routes between two tiers. */
    public ModelSelection selection() {
        return manyModels ? selectionOf(live.current()) : null;
    }

    /** A policy with a fixed router and threshold. */
    public RoutingPolicy(Router router, double threshold, String strongModel, String weakModel, Clock clock) {
        this(new LiveRouter(router, LiveRouter.ThresholdRule.fixed(threshold)), strongModel, weakModel, clock);
    }

    /** The same policy, its threshold taken from each task's recent scores once a task has seen enough of them. */
    public RoutingPolicy calibratedOnTraffic(TrafficCalibration calibration) {
        if (manyModels) {
            throw new IllegalArgumentException("traffic calibration is for the two-model router");
        }
        return new RoutingPolicy(live, strongModel, weakModel, clock, calibration, false);
    }

    /** How the policy calibrates on traffic, or null when the router's own threshold decides. */
    public TrafficCalibration trafficCalibration() {
        return traffic;
    }

    /** A decision with the router's own threshold. */
    public RoutingDecision decide(PromptRequest request) {
        return decide(request, null);
    }

    /** A decision; {@code recent}, when not null, observes the score and supplies the threshold once warmed up. */
    RoutingDecision decide(PromptRequest request, RecentScores recent) {
        if (manyModels) {
            return live.apply(active ->
                    selectionOf(active).decide(List.of(request), clock).get(0));
        }
        return live.apply(active -> decide(request, active, recent));
    }

    /**
     * Decisions for prompts scored in one call of the router in service (which stays the same for the whole batch);
     * throws if the router fails or returns a score outside [0, 1] for any of them.
     */
    List<RoutingDecision> decideBatch(List<PromptRequest> requests, RecentScores recent) {
        if (manyModels) {
            return live.apply(active -> selectionOf(active).decide(requests, clock));
        }
        if (requests.size() == 1) {
            return List.of(decide(requests.get(0), recent));
        }
        return live.apply(active -> {
            double[] scores = active.router()
                    .scoreBatch(
                            requests.stream().map(PromptRequest::lastUserText).toList());
            List<RoutingDecision> decisions = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                decisions.add(decide(requests.get(i), active, scores[i], recent));
            }
            return decisions;
        });
    }

    private static ModelSelection selectionOf(LiveRouter.Active active) {
        if (active.router() instanceof SelectionRouter selecting) {
            return selecting.selection();
        }
        // a channel that published a two-model router to a many-model stream: the watcher's loader refuses it first
        throw new IllegalStateException("router " + active.router().info().version() + " selects no model");
    }

    private RoutingDecision decide(PromptRequest request, LiveRouter.Active active, RecentScores recent) {
        return decide(request, active, active.router().score(request.lastUserText()), recent);
    }

    private RoutingDecision decide(PromptRequest request, LiveRouter.Active active, double score, RecentScores recent) {
        Router router = active.router();
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalStateException("router " + router.info().kind() + " returned score " + score);
        }
        RouterInfo info = router.info();
        double threshold = active.threshold();
        if (recent != null) {
            double fromTraffic = recent.observe(info.version(), score);
            if (!Double.isNaN(fromTraffic)) {
                threshold = fromTraffic;
            }
        }
        RoutingHints hints = request.routing();
        if (hints != null && hints.strongShare() != null) {
            // the request's own share, on the same evidence: the window when warmed up, else the router's card
            double own = recent == null ? Double.NaN : recent.thresholdFor(hints.strongShare());
            threshold = Double.isNaN(own) ? router.thresholdForStrongShare(hints.strongShare()) : own;
        }
        boolean forced = hints != null && hints.forceTier() != null;
        Tier tier = forced ? hints.forceTier() : (score >= threshold ? Tier.STRONG : Tier.WEAK);
        return new RoutingDecision(
                tier, modelFor(tier), score, info.kind(), info.version(), threshold, forced, clock.millis());
    }

    public String modelFor(Tier tier) {
        return tier == Tier.STRONG ? strongModel : weakModel;
    }

    /** The share of strong calls asked for, or NaN when a fixed threshold was asked for instead. */
    public double targetStrongShare() {
        return live.targetStrongShare();
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
