package io.kroute.schemas;

/**
 * Optional per-request routing hints.
 *
 * @param forceTier send the prompt to this tier whatever the router scores (null: let the router decide)
 * @param strongShare route this prompt with the threshold that sends this share of recent traffic to the strong tier
 *     (a batch job's own target), instead of the deployment's target; null for the deployment's
 */
public record RoutingHints(Tier forceTier, Double strongShare) {

    public RoutingHints(Tier forceTier) {
        this(forceTier, null);
    }

    public RoutingHints {
        if (strongShare != null && !(strongShare >= 0 && strongShare <= 1)) {
            throw new IllegalArgumentException("strong_share must be in [0, 1], got " + strongShare);
        }
    }
}
