package io.kroute.schemas;

/**
 * The answer to one request, published by a worker to the responses topic.
 *
 * @param requestId the {@link PromptRequest#id()}
 * @param tenant copied from the request
 * @param tier the tier whose queue the request was taken from
 * @param model the model that actually answered
 * @param text the answer
 * @param finishReason the provider's finish reason, e.g. {@code stop} or {@code length}
 * @param promptTokens input tokens as reported by the provider
 * @param completionTokens output tokens as reported by the provider
 * @param costUsd what the call cost, from the configured price table
 * @param latencyMs wall time of the provider calls for this request
 * @param attempts number of HTTP calls made (1 when the first succeeded)
 * @param status how the answer was obtained
 * @param routerVersion the router version that routed the request
 * @param requestCreatedAt copied from the request, for end-to-end latency
 * @param completedAt epoch milliseconds when the worker finished
 */
public record LlmResponse(
        String requestId,
        String tenant,
        Tier tier,
        String model,
        String text,
        String finishReason,
        int promptTokens,
        int completionTokens,
        double costUsd,
        long latencyMs,
        int attempts,
        ResponseStatus status,
        String routerVersion,
        long requestCreatedAt,
        long completedAt) {}
