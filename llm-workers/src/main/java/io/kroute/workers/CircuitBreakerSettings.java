package io.kroute.workers;

/**
 * When a provider's circuit breaker opens: over the last {@code slidingWindowSize} calls (once at least
 * {@code minimumNumberOfCalls} were made), if {@code failureRateThreshold} percent failed with a server error, a
 * timeout or a dropped connection, calls are refused for {@code waitInOpenStateMs}, then a few probe calls decide
 * whether it closes again. 429s and other 4xx do not count: they say the provider is up.
 */
public record CircuitBreakerSettings(
        float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls, long waitInOpenStateMs) {

    public static CircuitBreakerSettings defaults() {
        return new CircuitBreakerSettings(50, 100, 20, 10_000);
    }
}
