package io.kroute.workers;

import io.kroute.schemas.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries retryable failures with exponential backoff (half fixed, half random, to spread retries of many calls that
 * failed together), honouring a provider's {@code Retry-After} up to the cap. Waits are timers, never sleeps. Counts
 * attempts into the result or the final error. A stand-in until the resilience4j retry replaces it.
 */
public final class RetryingChatClient implements ChatClient {

    private final Vertx vertx;
    private final ChatClient delegate;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public RetryingChatClient(
            Vertx vertx, ChatClient delegate, int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        this.vertx = vertx;
        this.delegate = delegate;
        this.maxAttempts = maxAttempts;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    /** The HTTP client of a tier wrapped in its retry policy. */
    public static RetryingChatClient forTier(Vertx vertx, TierConfig tier) {
        return new RetryingChatClient(
                vertx,
                OpenAiChatClient.forTier(vertx, tier),
                tier.maxAttempts(),
                tier.initialBackoffMs(),
                tier.maxBackoffMs());
    }

    @Override
    public Future<ChatResult> complete(String model, List<ChatMessage> messages, Integer maxTokens) {
        return attempt(model, messages, maxTokens, 1);
    }

    @Override
    public Future<Void> close() {
        return delegate.close();
    }

    private Future<ChatResult> attempt(String model, List<ChatMessage> messages, Integer maxTokens, int attempt) {
        return delegate.complete(model, messages, maxTokens)
                .map(result -> result.withAttempts(attempt))
                .recover(failure -> {
                    LlmCallException error = failure instanceof LlmCallException e
                            ? e.withAttempts(attempt)
                            : new LlmCallException(0, false, String.valueOf(failure), -1, attempt, failure);
                    if (!error.retryable() || attempt >= maxAttempts) {
                        return Future.failedFuture(error);
                    }
                    Promise<ChatResult> next = Promise.promise();
                    vertx.setTimer(backoffMs(attempt, error.retryAfterMs()), id -> attempt(
                                    model, messages, maxTokens, attempt + 1)
                            .onComplete(next));
                    return next.future();
                });
    }

    long backoffMs(int attempt, long retryAfterMs) {
        if (retryAfterMs >= 0) {
            return Math.max(1, Math.min(retryAfterMs, maxBackoffMs));
        }
        long exponential = Math.min(maxBackoffMs, initialBackoffMs << Math.min(attempt - 1, 30));
        long half = exponential / 2;
        return Math.max(1, half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
    }
}
