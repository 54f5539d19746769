package io.kroute.workers;

/**
 * A successful chat completion.
 *
 * @param model the model the provider says answered
 * @param text the content of the first choice
 * @param finishReason e.g. {@code stop} or {@code length}
 * @param promptTokens from the provider's {@code usage}
 * @param completionTokens from the provider's {@code usage}
 * @param attempts HTTP calls it took, 1 when the first one succeeded
 */
public record ChatResult(
        String model, String text, String finishReason, int promptTokens, int completionTokens, int attempts) {

    public ChatResult withAttempts(int attempts) {
        return new ChatResult(model, text, finishReason, promptTokens, completionTokens, attempts);
    }
}
