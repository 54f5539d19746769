package io.kroute.stream;

import java.time.Duration;

/**
 * How the routing processor runs, beside the policy: who it is, how it batches, what it refuses.
 *
 * @param instanceId names this instance in the provenance header of every record it writes
 * @param batching how many prompts of a partition are scored in one call of the router
 * @param limits the largest prompt accepted
 * @param dedupWindow how long a request id is remembered, so the same id sent again is dead-lettered as a duplicate;
 *     zero remembers none
 */
public record RoutingOptions(String instanceId, Batching batching, PromptLimits limits, Duration dedupWindow) {

    /** One prompt at a time, default limits, no deduplication: what most topology tests drive. */
    public static final RoutingOptions SIMPLE =
            new RoutingOptions("router", Batching.NONE, PromptLimits.DEFAULT, Duration.ZERO);

    public RoutingOptions {
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("deduplication window must not be negative, got " + dedupWindow);
        }
    }

    public boolean deduplicates() {
        return !dedupWindow.isZero();
    }

    public RoutingOptions withBatching(Batching batching) {
        return new RoutingOptions(instanceId, batching, limits, dedupWindow);
    }

    public RoutingOptions withDedupWindow(Duration window) {
        return new RoutingOptions(instanceId, batching, limits, window);
    }
}
