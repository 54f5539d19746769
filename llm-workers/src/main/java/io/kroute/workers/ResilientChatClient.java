package io.kroute.workers;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.kroute.schemas.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One provider's calls through its resilience set: request and token rate limiters, a bulkhead, a circuit breaker and
 * a retry, all from the resilience4j registries and named after the provider ({@link ProviderResilience}). The time
 * limit is the HTTP client's timeout, set from the provider's {@link TimeLimiter}: the client then also closes the
 * request, which a future-level time limiter cannot.
 *
 * <p>Nothing blocks: the resilience4j primitives are used through their non-blocking halves ({@code reservePermission},
 * {@code tryAcquirePermission}, {@code Retry.AsyncContext}) and every wait is a Vert.x timer.
 *
 * <p>Per attempt: wait for a request permit and for the estimated tokens; if the breaker is open, fail at once with
 * {@link LlmCallException.Kind#BREAKER_OPEN} (not retried: the fallback policy decides); if the bulkhead is full, fail
 * retryably; else call. Retries follow the retry's interval function, which honours {@code Retry-After}.
 */
public final class ResilientChatClient implements ChatClient {

    private final Vertx vertx;
    private final ChatClient http;
    private final ProviderResilience resilience;
    private final WorkerMetrics metrics;

    public ResilientChatClient(Vertx vertx, ChatClient http, ProviderResilience resilience, WorkerMetrics metrics) {
        this.vertx = vertx;
        this.http = http;
        this.resilience = resilience;
        this.metrics = metrics;
    }

    public String provider() {
        return resilience.name();
    }

    public ProviderResilience resilience() {
        return resilience;
    }

    @Override
    public Future<ChatResult> complete(String model, List<ChatMessage> messages, Integer maxTokens) {
        Promise<ChatResult> done = Promise.promise();
        Retry.AsyncContext<ChatResult> retry = resilience.retry().asyncContext();
        int tokens = estimateTokens(messages, maxTokens);
        attempt(new Request(model, messages, maxTokens, tokens, retry, done), 1);
        return done.future();
    }

    @Override
    public Future<Void> close() {
        return http.close();
    }

    private void attempt(Request r, int attempt) {
        long waitNanos =
                Math.max(reserve(resilience.requestLimiter(), 1), reserve(resilience.tokenLimiter(), r.tokens));
        if (waitNanos < 0) {
            failed(
                    LlmCallException.local(
                            LlmCallException.Kind.RATE_LIMITED,
                            true,
                            "local rate limit of " + provider() + " reached",
                            attempt),
                    r,
                    attempt);
            return;
        }
        long waitMs = TimeUnit.NANOSECONDS.toMillis(waitNanos);
        if (waitMs < 1) {
            call(r, attempt);
        } else {
            vertx.setTimer(waitMs, id -> call(r, attempt));
        }
    }

    private void call(Request r, int attempt) {
        CircuitBreaker breaker = resilience.circuitBreaker();
        if (!breaker.tryAcquirePermission()) {
            LlmCallException open = LlmCallException.local(
                    LlmCallException.Kind.BREAKER_OPEN,
                    false,
                    "circuit breaker of " + provider() + " is " + breaker.getState(),
                    attempt - 1); // this attempt made no call
            metrics.callFailed(provider(), open.kind());
            r.done.fail(open);
            return;
        }
        Bulkhead bulkhead = resilience.bulkhead();
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            failed(
                    LlmCallException.local(
                            LlmCallException.Kind.BULKHEAD_FULL,
                            true,
                            "bulkhead of " + provider() + " is full",
                            attempt),
                    r,
                    attempt);
            return;
        }
        long start = System.nanoTime();
        Future<ChatResult> sent;
        try {
            sent = http.complete(r.model, r.messages, r.maxTokens);
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        sent.onComplete(ar -> {
            bulkhead.onComplete();
            long elapsed = System.nanoTime() - start;
            if (ar.succeeded()) {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                resilience.timeLimiter().onSuccess();
                r.retry.onComplete();
                metrics.callSucceeded(provider(), elapsed);
                r.done.complete(ar.result().withAttempts(attempt));
                return;
            }
            LlmCallException error = ar.cause() instanceof LlmCallException e
                    ? e.withAttempts(attempt)
                    : new LlmCallException(0, false, String.valueOf(ar.cause()), -1, attempt, ar.cause());
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, error);
            if (error.kind() == LlmCallException.Kind.TIMEOUT) {
                resilience.timeLimiter().onError(new TimeoutException(error.getMessage()));
            }
            metrics.callTimed(provider(), error.kind(), elapsed);
            failed(error, r, attempt);
        });
    }

    private void failed(LlmCallException error, Request r, int attempt) {
        metrics.callFailed(provider(), error.kind());
        long delayMs = r.retry.onError(error);
        if (delayMs < 0) {
            r.done.fail(error);
            return;
        }
        metrics.retried(provider());
        vertx.setTimer(Math.max(1, delayMs), id -> attempt(r, attempt + 1));
    }

    /** What stays the same across the attempts of one completion: the request, its token estimate, retry and result. */
    private record Request(
            String model,
            List<ChatMessage> messages,
            Integer maxTokens,
            int tokens,
            Retry.AsyncContext<ChatResult> retry,
            Promise<ChatResult> done) {}

    /** Nanoseconds to wait for the permits (0 when there is no limit), or -1 if they are too far away. */
    private static long reserve(RateLimiter limiter, int permits) {
        if (limiter == null) {
            return 0;
        }
        int capped =
                Math.max(1, Math.min(permits, limiter.getRateLimiterConfig().getLimitForPeriod()));
        return limiter.reservePermission(capped);
    }

    /** About four characters a token for the prompt, plus what the answer may use. */
    static int estimateTokens(List<ChatMessage> messages, Integer maxTokens) {
        long chars = 0;
        for (ChatMessage message : messages) {
            chars += message.content() == null ? 0 : message.content().length();
        }
        return (int) Math.min(Integer.MAX_VALUE, chars / 4 + 1 + (maxTokens == null ? 256 : maxTokens));
    }
}
