package io.kroute.workers;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resilience set of one provider, taken from the registries under the provider's name: circuit breaker
 * {@code <name>}, retry {@code <name>}, bulkhead {@code <name>}, time limiter {@code <name>}, rate limiters
 * {@code <name>-requests} and {@code <name>-tokens} (absent when unlimited).
 */
public record ProviderResilience(
        String name,
        CircuitBreaker circuitBreaker,
        Retry retry,
        Bulkhead bulkhead,
        TimeLimiter timeLimiter,
        RateLimiter requestLimiter,
        RateLimiter tokenLimiter) {

    /** The registries the sets come from; one of each per worker process, shared by every provider. */
    public record Registries(
            CircuitBreakerRegistry circuitBreakers,
            RetryRegistry retries,
            BulkheadRegistry bulkheads,
            TimeLimiterRegistry timeLimiters,
            RateLimiterRegistry rateLimiters) {

        public static Registries create() {
            return new Registries(
                    CircuitBreakerRegistry.ofDefaults(),
                    RetryRegistry.ofDefaults(),
                    BulkheadRegistry.ofDefaults(),
                    TimeLimiterRegistry.ofDefaults(),
                    RateLimiterRegistry.ofDefaults());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ProviderResilience.class);
    private static final Set<CircuitBreaker> breakerListened = ConcurrentHashMap.newKeySet();

    /** Rate limiters refill every this often, so a limit of R per second is spread over the second, not a burst. */
    private static final Duration REFRESH = Duration.ofMillis(100);
    /** A call may wait this long for its rate-limit permit; bounded in practice by max_in_flight. */
    private static final Duration MAX_PERMIT_WAIT = Duration.ofMinutes(10);

    /** Takes (or creates) the set named {@code tier.provider()} from the registries, configured from {@code tier}. */
    public static ProviderResilience of(Registries registries, TierConfig tier) {
        String name = tier.provider();
        CircuitBreakerSettings cb = tier.circuitBreaker();
        CircuitBreaker breaker = registries
                .circuitBreakers()
                .circuitBreaker(
                        name,
                        CircuitBreakerConfig.custom()
                                .failureRateThreshold(cb.failureRateThreshold())
                                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                                .slidingWindowSize(cb.slidingWindowSize())
                                .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                                .waitDurationInOpenState(Duration.ofMillis(cb.waitInOpenStateMs()))
                                .permittedNumberOfCallsInHalfOpenState(
                                        Math.max(1, Math.min(10, cb.minimumNumberOfCalls())))
                                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                                // the provider is failing only on 5xx, timeouts and dropped connections
                                .recordException(ProviderResilience::countsAgainstProvider)
                                .build());
        Retry retry = registries
                .retries()
                .retry(
                        name,
                        RetryConfig.<Object>custom()
                                .maxAttempts(tier.maxAttempts())
                                .retryOnException(e -> e instanceof LlmCallException l && l.retryable())
                                .intervalBiFunction(backoff(tier))
                                .build());
        Bulkhead bulkhead = registries
                .bulkheads()
                .bulkhead(
                        name,
                        BulkheadConfig.custom()
                                .maxConcurrentCalls(tier.maxConcurrentCalls())
                                .maxWaitDuration(Duration.ZERO)
                                .build());
        TimeLimiter timeLimiter = registries
                .timeLimiters()
                .timeLimiter(
                        name,
                        TimeLimiterConfig.custom()
                                .timeoutDuration(Duration.ofMillis(tier.requestTimeoutMs()))
                                .build());
        RateLimiter requests = tier.requestsPerSecond() <= 0
                ? null
                : registries.rateLimiters().rateLimiter(name + "-requests", perRefresh(tier.requestsPerSecond()));
        RateLimiter tokens = tier.tokensPerMinute() <= 0
                ? null
                : registries.rateLimiters().rateLimiter(name + "-tokens", perRefresh(tier.tokensPerMinute() / 60.0));
        if (breakerListened.add(breaker)) {
            breaker.getEventPublisher()
                    .onStateTransition(event -> LOG.warn(
                            "circuit breaker of {}: {} (failure rate {}% over {} calls)",
                            name,
                            event.getStateTransition(),
                            breaker.getMetrics().getFailureRate(),
                            breaker.getMetrics().getNumberOfBufferedCalls()));
        }
        return new ProviderResilience(name, breaker, retry, bulkhead, timeLimiter, requests, tokens);
    }

    static boolean countsAgainstProvider(Throwable e) {
        if (!(e instanceof LlmCallException call)) {
            return true;
        }
        return switch (call.kind()) {
            case SERVER_ERROR, TIMEOUT, CONNECTION -> true;
            default -> false;
        };
    }

    private static RateLimiterConfig perRefresh(double perSecond) {
        double perRefresh = perSecond * REFRESH.toMillis() / 1000.0;
        Duration period = REFRESH;
        if (perRefresh < 1) {
            // fewer than one per refresh: one permit every 1/perSecond seconds instead
            period = Duration.ofNanos((long) (1_000_000_000L / perSecond));
            perRefresh = 1;
        }
        return RateLimiterConfig.custom()
                .limitForPeriod((int) Math.round(perRefresh))
                .limitRefreshPeriod(period)
                .timeoutDuration(MAX_PERMIT_WAIT)
                .build();
    }

    /**
     * Exponential backoff with jitter (half fixed, half random, so calls that failed together do not retry together),
     * capped at max_backoff_ms; a provider's {@code Retry-After} replaces it, capped the same way.
     */
    static IntervalBiFunction<Object> backoff(TierConfig tier) {
        IntervalFunction exponential = IntervalFunction.ofExponentialRandomBackoff(
                Duration.ofMillis(Math.max(1, tier.initialBackoffMs() * 3 / 4)),
                2.0,
                1.0 / 3,
                Duration.ofMillis(tier.maxBackoffMs()));
        return (attempt, either) -> {
            if (either.isLeft() && either.getLeft() instanceof LlmCallException e && e.retryAfterMs() >= 0) {
                long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, e.retryAfterMs() / 10 + 1));
                return Math.max(1, Math.min(e.retryAfterMs() + jitter, tier.maxBackoffMs()));
            }
            return Math.min(tier.maxBackoffMs(), exponential.apply(attempt));
        };
    }
}
