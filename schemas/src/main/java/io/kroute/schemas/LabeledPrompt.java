package io.kroute.schemas;

/**
 * A preference label joined to what the router saw: the training example the retrainer learns from.
 *
 * @param requestId the request
 * @param prompt the text the router scored (the last user message)
 * @param tier the tier the router chose
 * @param routedModel the model of that tier
 * @param routerVersion the router version that scored it
 * @param score the score it gave
 * @param label the label as it arrived on the feedback topic
 * @param routedAt when the prompt was routed
 */
public record LabeledPrompt(
        String requestId,
        String prompt,
        Tier tier,
        String routedModel,
        String routerVersion,
        double score,
        Feedback label,
        long routedAt) {}
