package io.kroute.workers;

import io.kroute.schemas.ChatMessage;
import io.vertx.core.Future;
import java.util.List;

/**
 * One way to get a chat completion. Implementations decorate each other (HTTP, retries, and later circuit breakers
 * and rate limiters) so the worker sees a single call. A failed future holds an {@link LlmCallException}.
 */
public interface ChatClient {

    Future<ChatResult> complete(String model, List<ChatMessage> messages, Integer maxTokens);

    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
