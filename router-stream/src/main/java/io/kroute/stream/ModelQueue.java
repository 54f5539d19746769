package io.kroute.stream;

import io.kroute.router.multi.ModelPrice;
import io.kroute.schemas.Topics;

/**
 * One model of a many-model deployment: its queue's name (topic {@code llm-queue-<queue>}), the model's name as the
 * predictor and the provider know it, and its price.
 */
public record ModelQueue(String queue, String model, ModelPrice price) {

    public ModelQueue {
        if (!Topics.isQueueName(queue)) {
            throw new IllegalArgumentException("queue name must match " + Topics.QUEUE_NAME
                    + " (it names topic llm-queue-<name>), got '" + queue + "'");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("kroute.model." + queue + ".name is required");
        }
    }
}
