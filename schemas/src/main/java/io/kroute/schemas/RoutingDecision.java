package io.kroute.schemas;

/**
 * What the router decided for one prompt.
 *
 * @param tier the queue the prompt went to
 * @param model the model configured for that tier when it was routed
 * @param score the router's P(strong model's answer is at least as good), in [0, 1]
 * @param router the router kind, e.g. {@code random} or {@code mf}
 * @param routerVersion the version of the router model that scored the prompt
 * @param threshold scores at or above it go to the strong tier
 * @param forced true when a routing hint chose the tier, not the score
 * @param routedAt epoch milliseconds of the decision
 */
public record RoutingDecision(
        Tier tier,
        String model,
        double score,
        String router,
        String routerVersion,
        double threshold,
        boolean forced,
        long routedAt) {}
