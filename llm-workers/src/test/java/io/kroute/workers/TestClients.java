package io.kroute.workers;

import io.vertx.core.Vertx;

/** Provider clients for tests: the real resilience set, fresh registries, meters that go nowhere. */
final class TestClients {

    private TestClients() {}

    static ResilientChatClient resilient(Vertx vertx, ChatClient http, TierConfig tier) {
        return new ResilientChatClient(
                vertx, http, ProviderResilience.of(ProviderResilience.Registries.create(), tier), WorkerMetrics.noop());
    }

    /** Retries as given; a breaker that only opens when every one of 100 calls failed. */
    static ResilientChatClient retrying(
            Vertx vertx, ChatClient http, int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        TierConfig tier = WorkerConfig.defaults()
                .strong()
                .withProvider("test")
                .withRetries(maxAttempts, initialBackoffMs, maxBackoffMs)
                .withCircuitBreaker(new CircuitBreakerSettings(100, 100, 100, 1_000));
        return resilient(vertx, http, tier);
    }
}
