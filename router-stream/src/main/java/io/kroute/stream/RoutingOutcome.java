package io.kroute.stream;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;

/** What became of one record on the prompts topic: routed to a queue, or rejected to the dead-letter topic. */
sealed interface RoutingOutcome {

    record Routed(RoutedPrompt prompt) implements RoutingOutcome {}

    record Rejected(DeadLetter deadLetter) implements RoutingOutcome {}

    default boolean isRejected() {
        return this instanceof Rejected;
    }

    /** Whether it was routed to this model's queue (many models) or tier's queue (two). */
    default boolean isRoutedToQueue(String queue) {
        return this instanceof Routed routed
                && routed.prompt().decision().queueName().equals(queue);
    }

    default boolean isRoutedTo(Tier tier) {
        return this instanceof Routed routed && routed.prompt().decision().tier() == tier;
    }
}
