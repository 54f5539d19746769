package io.kroute.workers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * The LLM behind one queue.
 *
 * @param model model name sent to the provider, and the key of its price
 * @param baseUrl provider URL without {@code /v1}, e.g. {@code https://api.openai.com}
 * @param apiKeyEnv NAME of the environment variable that holds the API key; null or blank for no key
 * @param maxInFlight most calls in progress at once for this queue; the consumer pauses when it is reached
 * @param requestTimeoutMs per HTTP attempt
 * @param maxAttempts HTTP attempts per prompt, retrying 408, 429, 5xx, timeouts and connection errors
 * @param initialBackoffMs delay before the second attempt; doubles per attempt (with jitter) up to maxBackoffMs
 * @param maxBackoffMs cap on the delay between attempts, also on a provider's {@code Retry-After}
 * @param apiKey a key given in code (tests, demo); never read from YAML, never printed
 */
public record TierConfig(
        String model,
        String baseUrl,
        String apiKeyEnv,
        int maxInFlight,
        long requestTimeoutMs,
        int maxAttempts,
        long initialBackoffMs,
        long maxBackoffMs,
        @JsonIgnore String apiKey) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    /** A tier with the defaults for everything but the model, the URL and the key's variable. */
    public static TierConfig of(String model, String baseUrl, String apiKeyEnv) {
        return new TierConfig(model, baseUrl, apiKeyEnv, DEFAULT_MAX_IN_FLIGHT, 60_000, 3, 500, 10_000, null);
    }

    public TierConfig withModel(String model) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
    }

    public TierConfig withBaseUrl(String baseUrl) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
    }

    /** Reads the key from this environment variable; null sends no key (e.g. a local replay server). */
    public TierConfig withApiKeyEnv(String apiKeyEnv) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
    }

    /** Uses this key instead of reading {@link #apiKeyEnv()}; meant for code that starts its own LLM server. */
    public TierConfig withApiKey(String apiKey) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
    }

    public TierConfig withMaxInFlight(int maxInFlight) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
    }

    public TierConfig withRetries(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
    }

    public TierConfig withRequestTimeoutMs(long requestTimeoutMs) {
        return new TierConfig(
                model,
                baseUrl,
                apiKeyEnv,
                maxInFlight,
                requestTimeoutMs,
                maxAttempts,
                initialBackoffMs,
                maxBackoffMs,
                apiKey);
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

    List<String> problems(String tier) {
        List<String> problems = new ArrayList<>();
        if (model == null || model.isBlank()) {
            problems.add(tier + ".model is required");
        }
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            problems.add(tier + ".base_url must be an http:// or https:// URL, got " + baseUrl);
        }
        if (maxInFlight < 1) {
            problems.add(tier + ".max_in_flight must be >= 1, got " + maxInFlight);
        }
        if (requestTimeoutMs < 1) {
            problems.add(tier + ".request_timeout_ms must be >= 1, got " + requestTimeoutMs);
        }
        if (maxAttempts < 1) {
            problems.add(tier + ".max_attempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
            problems.add(tier + ": need 0 <= initial_backoff_ms <= max_backoff_ms");
        }
        return problems;
    }

    @Override
    public String toString() {
        return "TierConfig[model=" + model + ", baseUrl=" + baseUrl + ", apiKeyEnv=" + apiKeyEnv + ", maxInFlight="
                + maxInFlight + ", requestTimeoutMs=" + requestTimeoutMs + ", maxAttempts=" + maxAttempts
                + ", initialBackoffMs=" + initialBackoffMs + ", maxBackoffMs=" + maxBackoffMs + ", apiKey="
                + (apiKey == null ? "from env" : "***") + "]";
    }
}
