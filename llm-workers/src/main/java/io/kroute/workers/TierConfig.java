package io.kroute.workers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The LLM behind one queue, and the resilience set of its provider: a tier's section ({@code strong:},
 * {@code weak:}) or a named queue's (under {@code models:}), which have the same keys.
 *
 * @param model model name sent to the provider, and the key of its price
 * @param baseUrl provider URL without {@code /v1}, e.g. {@code https://api.openai.com}; {@code https} unless it is a
 *     loopback address, the tier sends no key, or {@code allowInsecureHttp}
 * @param allowInsecureHttp lets a key travel over plain {@code http} to another host (a trusted network only)
 * @param apiKeyEnv NAME of the environment variable that holds the API key; null or blank for no key
 * @param provider name of the provider: its rate limiters, bulkhead, retry, circuit breaker and time limiter carry
 *     this name in the registries, logs and metrics
 * @param maxInFlight most records of this queue taken and not yet committed; the consumer pauses when it is reached
 * @param requestTimeoutMs the time limit of one HTTP attempt, from connecting to the last byte of the answer
 * @param maxResponseBytes the largest response body read; a larger answer is refused unread, not retried
 * @param maxAttempts HTTP attempts per prompt, retrying 408, 409, 429, 5xx, timeouts and connection errors
 * @param initialBackoffMs delay before the second attempt; doubles per attempt (with jitter) up to maxBackoffMs
 * @param maxBackoffMs cap on the delay between attempts, also on a provider's {@code Retry-After}
 * @param fallback {@code none}, or the name of another queue ({@code strong} or {@code weak} with two tiers): whose
 *     provider answers, with that queue's model, when this one's breaker is open or its retries are spent; checked
 *     against the queue names by {@link WorkerConfig#validate()}
 * @param requestsPerSecond most calls started per second on this provider; 0 for no limit
 * @param tokensPerMinute most tokens (prompt estimate plus max_tokens) per minute on this provider; 0 for no limit
 * @param maxConcurrentCalls bulkhead: most calls in progress at once on this provider, fallbacks from other queues
 *     included
 * @param circuitBreaker when the provider's breaker opens
 * @param apiKey a key given in code (tests, demo); never read from YAML, never printed
 */
public record TierConfig(
        String model,
        String baseUrl,
        boolean allowInsecureHttp,
        String apiKeyEnv,
        String provider,
        int maxInFlight,
        long requestTimeoutMs,
        long maxResponseBytes,
        int maxAttempts,
        long initialBackoffMs,
        long maxBackoffMs,
        String fallback,
        double requestsPerSecond,
        long tokensPerMinute,
        int maxConcurrentCalls,
        CircuitBreakerSettings circuitBreaker,
        @JsonIgnore String apiKey) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;
    /** A response body is held whole while it is read; this bounds what max_in_flight of them can take. */
    static final long MAX_RESPONSE_BYTES_LIMIT = 64L * 1024 * 1024;

    public static final String NO_FALLBACK = "none";

    public TierConfig {
        circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.defaults() : circuitBreaker;
        fallback = fallback == null ? NO_FALLBACK : fallback;
    }

    /** A tier with the defaults for everything but the model, the URL, the key's variable and the provider name. */
    public static TierConfig of(String model, String baseUrl, String apiKeyEnv, String provider, String fallback) {
        return new TierConfig(
                model,
                baseUrl,
                false,
                apiKeyEnv,
                provider,
                DEFAULT_MAX_IN_FLIGHT,
                60_000,
                DEFAULT_MAX_RESPONSE_BYTES,
                3,
                500,
                10_000,
                fallback,
                0,
                0,
                512,
                CircuitBreakerSettings.defaults(),
                null);
    }

    private TierConfig copy(Edit edit) {
        Builder b = new Builder(this);
        edit.apply(b);
        return new TierConfig(
                b.model,
                b.baseUrl,
                b.allowInsecureHttp,
                b.apiKeyEnv,
                b.provider,
                b.maxInFlight,
                b.requestTimeoutMs,
                b.maxResponseBytes,
                b.maxAttempts,
                b.initialBackoffMs,
                b.maxBackoffMs,
                b.fallback,
                b.requestsPerSecond,
                b.tokensPerMinute,
                b.maxConcurrentCalls,
                b.circuitBreaker,
                b.apiKey);
    }

    public TierConfig withModel(String model) {
        return copy(b -> b.model = model);
    }

    /** {@link #NO_FALLBACK} or the name of the queue whose provider answers when this one's cannot. */
    public TierConfig withFallback(String fallback) {
        return copy(b -> b.fallback = fallback);
    }

    public TierConfig withBaseUrl(String baseUrl) {
        return copy(b -> b.baseUrl = baseUrl);
    }

    /** Reads the key from this environment variable; null sends no key (e.g. a local replay server). */
    public TierConfig withApiKeyEnv(String apiKeyEnv) {
        return copy(b -> b.apiKeyEnv = apiKeyEnv);
    }

    /** Uses this key instead of reading {@link #apiKeyEnv()}; meant for code that starts its own LLM server. */
    public TierConfig withApiKey(String apiKey) {
        return copy(b -> b.apiKey = apiKey);
    }

    public TierConfig withProvider(String provider) {
        return copy(b -> b.provider = provider);
    }

    public TierConfig withMaxInFlight(int maxInFlight) {
        return copy(b -> b.maxInFlight = maxInFlight);
    }

    public TierConfig withRetries(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        return copy(b -> {
            b.maxAttempts = maxAttempts;
            b.initialBackoffMs = initialBackoffMs;
            b.maxBackoffMs = maxBackoffMs;
        });
    }

    public TierConfig withRequestTimeoutMs(long requestTimeoutMs) {
        return copy(b -> b.requestTimeoutMs = requestTimeoutMs);
    }

    public TierConfig withMaxResponseBytes(long maxResponseBytes) {
        return copy(b -> b.maxResponseBytes = maxResponseBytes);
    }

    public TierConfig withAllowInsecureHttp(boolean allowInsecureHttp) {
        return copy(b -> b.allowInsecureHttp = allowInsecureHttp);
    }

    public TierConfig withRateLimits(double requestsPerSecond, long tokensPerMinute) {
        return copy(b -> {
            b.requestsPerSecond = requestsPerSecond;
            b.tokensPerMinute = tokensPerMinute;
        });
    }

    public TierConfig withMaxConcurrentCalls(int maxConcurrentCalls) {
        return copy(b -> b.maxConcurrentCalls = maxConcurrentCalls);
    }

    public TierConfig withCircuitBreaker(CircuitBreakerSettings circuitBreaker) {
        return copy(b -> b.circuitBreaker = circuitBreaker);
    }

    /** The key to send: the one given in code, else the value of {@link #apiKeyEnv()}, else null (no header). */
    public String resolveApiKey() {
        if (apiKey != null) {
            return apiKey;
        }
        if (apiKeyEnv == null || apiKeyEnv.isBlank()) {
            return null;
        }
        String value = System.getenv(apiKeyEnv);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * What a section under {@code models:} starts from before the file's keys are laid over it: the tiers' limits, no
     * fallback, no key, and no model, URL or provider, which every queue must name.
     */
    static TierConfig queueDefaults() {
        return of(null, null, null, null, NO_FALLBACK);
    }

    /** Whether this queue has a fallback queue. */
    public boolean hasFallback() {
        return !NO_FALLBACK.equals(fallback);
    }

    /**
     * What is wrong with this section's own values, each problem naming its key under {@code tier} (e.g.
     * {@code strong} or {@code models.claude}); the fallback's name is checked against the other queues by
     * {@link WorkerConfig#validate()}.
     */
    List<String> problems(String tier) {
        List<String> problems = new ArrayList<>();
        if (model == null || model.isBlank()) {
            problems.add(tier + ".model is required");
        }
        String host = host(baseUrl);
        if (baseUrl == null || baseUrl.isBlank()) {
            problems.add(tier + ".base_url is required");
        } else if (host == null) {
            problems.add(tier + ".base_url must be an http:// or https:// URL, got " + baseUrl);
        } else if (baseUrl.startsWith("http://") && sendsKey() && !allowInsecureHttp && !isLoopback(host)) {
            problems.add(tier + ".base_url must be https:// to send an API key to " + host + " (or set " + tier
                    + ".allow_insecure_http: true on a trusted network), got " + baseUrl);
        }
        if (provider == null || provider.isBlank()) {
            problems.add(tier + ".provider is required");
        }
        if (maxInFlight < 1) {
            problems.add(tier + ".max_in_flight must be >= 1, got " + maxInFlight);
        }
        if (requestTimeoutMs < 1) {
            problems.add(tier + ".request_timeout_ms must be >= 1, got " + requestTimeoutMs);
        }
        if (maxResponseBytes < 1024 || maxResponseBytes > MAX_RESPONSE_BYTES_LIMIT) {
            problems.add(tier + ".max_response_bytes must be from 1024 to " + MAX_RESPONSE_BYTES_LIMIT + ", got "
                    + maxResponseBytes);
        }
        if (maxAttempts < 1) {
            problems.add(tier + ".max_attempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoffMs < 1 || maxBackoffMs < initialBackoffMs) {
            problems.add(tier + ": need 1 <= initial_backoff_ms <= max_backoff_ms");
        }
        if (requestsPerSecond < 0 || tokensPerMinute < 0) {
            problems.add(tier + ": requests_per_second and tokens_per_minute must be >= 0 (0 = no limit)");
        }
        if (maxConcurrentCalls < 1) {
            problems.add(tier + ".max_concurrent_calls must be >= 1, got " + maxConcurrentCalls);
        }
        if (!(circuitBreaker.failureRateThreshold() > 0 && circuitBreaker.failureRateThreshold() <= 100)
                || circuitBreaker.slidingWindowSize() < 1
                || circuitBreaker.minimumNumberOfCalls() < 1
                || circuitBreaker.waitInOpenStateMs() < 1) {
            problems.add(tier + ".circuit_breaker: need 0 < failure_rate_threshold <= 100 and the sizes and wait >= 1");
        }
        return problems;
    }

    /** Whether a key is configured (given in code or named by api_key_env), whether or not the variable is set now. */
    private boolean sendsKey() {
        return apiKey != null || (apiKeyEnv != null && !apiKeyEnv.isBlank());
    }

    /** The host of an http:// or https:// URL, or null for anything else. */
    private static String host(String url) {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            return null;
        }
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** localhost or a loopback address literal; names are never looked up (no DNS at validation). */
    static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "TierConfig[model=" + model + ", baseUrl=" + baseUrl + ", allowInsecureHttp=" + allowInsecureHttp
                + ", apiKeyEnv=" + apiKeyEnv + ", provider=" + provider + ", maxInFlight=" + maxInFlight
                + ", requestTimeoutMs=" + requestTimeoutMs + ", maxResponseBytes=" + maxResponseBytes
                + ", maxAttempts=" + maxAttempts + ", initialBackoffMs=" + initialBackoffMs + ", maxBackoffMs="
                + maxBackoffMs + ", fallback=" + fallback + ", requestsPerSecond=" + requestsPerSecond
                + ", tokensPerMinute=" + tokensPerMinute + ", maxConcurrentCalls=" + maxConcurrentCalls
                + ", circuitBreaker=" + circuitBreaker + ", apiKey=" + (apiKey == null ? "from env" : "***") + "]";
    }

    private interface Edit {
        void apply(Builder builder);
    }

    private static final class Builder {
        String model;
        String baseUrl;
        boolean allowInsecureHttp;
        String apiKeyEnv;
        String provider;
        int maxInFlight;
        long requestTimeoutMs;
        long maxResponseBytes;
        int maxAttempts;
        long initialBackoffMs;
        long maxBackoffMs;
        String fallback;
        double requestsPerSecond;
        long tokensPerMinute;
        int maxConcurrentCalls;
        CircuitBreakerSettings circuitBreaker;
        String apiKey;

        Builder(TierConfig c) {
            model = c.model;
            baseUrl = c.baseUrl;
            allowInsecureHttp = c.allowInsecureHttp;
            apiKeyEnv = c.apiKeyEnv;
            provider = c.provider;
            maxInFlight = c.maxInFlight;
            requestTimeoutMs = c.requestTimeoutMs;
            maxResponseBytes = c.maxResponseBytes;
            maxAttempts = c.maxAttempts;
            initialBackoffMs = c.initialBackoffMs;
            maxBackoffMs = c.maxBackoffMs;
            fallback = c.fallback;
            requestsPerSecond = c.requestsPerSecond;
            tokensPerMinute = c.tokensPerMinute;
            maxConcurrentCalls = c.maxConcurrentCalls;
            circuitBreaker = c.circuitBreaker;
            apiKey = c.apiKey;
        }
    }
}
