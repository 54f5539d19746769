package io.kroute.workers;

/**
 * A failed call to an LLM provider.
 *
 * <p>{@code statusCode} is the HTTP status, or 0 when no response came (timeout, connection error). Retryable: 408,
 * 409, 429, 5xx, timeouts and connection errors; other 4xx and unreadable success bodies are not.
 */
public final class LlmCallException extends RuntimeException {

    private final int statusCode;
    private final boolean retryable;
    private final String providerMessage;
    private final long retryAfterMs;
    private final int attempts;

    public LlmCallException(
            int statusCode,
            boolean retryable,
            String providerMessage,
            long retryAfterMs,
            int attempts,
            Throwable cause) {
        super(describe(statusCode, providerMessage), cause);
        this.statusCode = statusCode;
        this.retryable = retryable;
        this.providerMessage = providerMessage;
        this.retryAfterMs = retryAfterMs;
        this.attempts = attempts;
    }

    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    public int statusCode() {
        return statusCode;
    }

    public boolean retryable() {
        return retryable;
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

    public LlmCallException withAttempts(int attempts) {
        return new LlmCallException(statusCode, retryable, providerMessage, retryAfterMs, attempts, getCause());
    }

    private static String describe(int statusCode, String providerMessage) {
        return (statusCode == 0 ? "no response" : "HTTP " + statusCode) + ": " + providerMessage;
    }
}
