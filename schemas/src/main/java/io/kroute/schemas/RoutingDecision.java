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
 * @param queue with more than two models: the name of the model's queue (topic {@code llm-queue-<queue>}), and then
 *     {@code tier} is {@code strong} for the deployment's most capable model and {@code weak} for every other, and
 *     {@code score} is the chosen model's predicted quality scaled to [0, 1]; null with two models (the tier's queue)
 */
public record RoutingDecision(
        Tier tier,
        String model,
        double score,
        String router,
        String routerVersion,
        double threshold,
        boolean forced,
        long routedAt,
        String queue) {

    /** A decision between the two tiers: the prompt goes to the tier's queue. */
    public RoutingDecision(
            Tier tier,
            String model,
            double score,
            String router,
            String routerVersion,
            double threshold,
            boolean forced,
            long routedAt) {
        this(tier, model, score, router, routerVersion, threshold, forced, routedAt, null);
    }

    public RoutingDecision {
        if (queue != null && !Topics.isQueueName(queue)) {
            throw new IllegalArgumentException("queue name must match " + Topics.QUEUE_NAME + ", got '" + queue + "'");
        }
    }

    /** The queue the prompt went to: the model's with more than two models, else the tier's. */
    public String queueName() {
        return queue != null ? queue : tier.wireName();
    }
}
