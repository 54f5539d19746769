package io.kroute.workers;

import java.util.Locale;

/**
 * A failed call to an LLM provider.
 *
 * <p>{@code statusCode} is the HTTP status, or 0 when no response came (timeout, connection error) or the call never
 * left the worker (breaker open, bulkhead full). Retryable: 408, 409, 429, 5xx, timeouts, connection errors and a
 * full bulkhead; other 4xx (400 bad request, 401, 403, 404, context too long), redirects (never followed) and
 * unreadable success bodies are not. An open breaker is not retried either: it is the signal for the fallback policy.
 */
public final class LlmCallException extends RuntimeException {

    /** What went wrong, for metrics and for the fallback decision. */
    public enum Kind {
        RATE_LIMITED,
        SERVER_ERROR,
        CLIENT_ERROR,
        REDIRECT,
        TIMEOUT,
        CONNECTION,
        UNREADABLE,
        BREAKER_OPEN,
        BULKHEAD_FULL,
        OTHER;

        public String metricName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int statusCode;
    private final boolean retryable;
    private final String providerMessage;
    private final long retryAfterMs;
    private final int attempts;
    private final Kind kind;

    public LlmCallException(
            int statusCode,
            boolean retryable,
            String providerMessage,
            long retryAfterMs,
            int attempts,
            Throwable cause) {
        this(kindOf(statusCode, retryable), statusCode, retryable, providerMessage, retryAfterMs, attempts, cause);
    }

    /** A failure decided on this side (a limit, a breaker, a bulkhead): no HTTP call, no status, no Retry-After. */
    static LlmCallException local(Kind kind, boolean retryable, String message, int attempts) {
        return new LlmCallException(kind, 0, retryable, message, -1, attempts, null);
    }

    public LlmCallException(
            Kind kind,
            int statusCode,
            boolean retryable,
            String providerMessage,
            long retryAfterMs,
            int attempts,
            Throwable cause) {
        super(describe(statusCode, providerMessage), cause);
        this.kind = kind;
        this.statusCode = statusCode;
        this.retryable = retryable;
        this.providerMessage = providerMessage;
        this.retryAfterMs = retryAfterMs;
        this.attempts = attempts;
    }

    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    private static Kind kindOf(int status, boolean retryable) {
        if (status == 429) {
            return Kind.RATE_LIMITED;
        }
        if (status >= 500) {
            return Kind.SERVER_ERROR;
        }
        if (status >= 400) {
            return Kind.CLIENT_ERROR;
        }
        if (status == 200) {
            return Kind.UNREADABLE;
        }
        return retryable ? Kind.CONNECTION : Kind.OTHER;
    }

    public int statusCode() {
        return statusCode;
    }

    public boolean retryable() {
        return retryable;
    }

    public Kind kind() {
        return kind;
    }

    public String providerMessage() {
        return providerMessage;
    }

    /** The provider's {@code Retry-After} in milliseconds, or -1 when it sent none. */
    public long retryAfterMs() {
        return retryAfterMs;
    }

    public int attempts() {
        return attempts;
    }

    /**
     * Whether the provider is to be treated as down: its breaker is open, or the failure was retryable and the retries
     * are spent. This, not a refused request, is what the fallback policy answers.
     */
    public boolean providerUnavailable() {
        return kind == Kind.BREAKER_OPEN || retryable;
    }

    public LlmCallException withAttempts(int attempts) {
        return new LlmCallException(kind, statusCode, retryable, providerMessage, retryAfterMs, attempts, getCause());
    }

    private static String describe(int statusCode, String providerMessage) {
        return (statusCode == 0 ? "no response" : "HTTP " + statusCode) + ": " + providerMessage;
    }
}
