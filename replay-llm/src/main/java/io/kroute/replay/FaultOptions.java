package io.kroute.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * Which failures the replay server injects, as the share of chat-completion requests that get each (drawn from a
 * seeded generator, so a run with the same requests in the same order fails the same way).
 *
 * @param rateLimited answered 429 with {@code Retry-After: retryAfterSeconds}, as OpenAI does when a limit is hit
 * @param serverError answered 500
 * @param unavailable answered 503
 * @param timeout never answered; the client's timeout has to end it
 * @param dropped the connection is closed without an answer
 * @param retryAfterSeconds the {@code Retry-After} sent with a 429
 * @param seed seed of the generator that picks the failing requests
 * @param outages scripted outages: every chat completion is answered 503 during each, timed from the first one
 */
public record FaultOptions(
        double rateLimited,
        double serverError,
        double unavailable,
        double timeout,
        double dropped,
        long retryAfterSeconds,
        long seed,
        List<Outage> outages) {

    /**
     * Down (503 to every chat completion) from {@code startMs} to {@code startMs + durationMs} after the first chat
     * completion the server received.
     */
    public record Outage(long startMs, long durationMs) {

        public Outage {
            if (startMs < 0 || durationMs < 1) {
                throw new IllegalArgumentException("an outage needs start >= 0 and duration >= 1 ms");
            }
        }

        boolean covers(long elapsedMs) {
            return elapsedMs >= startMs && elapsedMs < startMs + durationMs;
        }
    }

    public FaultOptions(
            double rateLimited,
            double serverError,
            double unavailable,
            double timeout,
            double dropped,
            long retryAfterSeconds,
            long seed) {
        this(rateLimited, serverError, unavailable, timeout, dropped, retryAfterSeconds, seed, List.of());
    }

    public FaultOptions {
        outages = outages == null ? List.of() : List.copyOf(outages);
        for (double rate : new double[] {rateLimited, serverError, unavailable, timeout, dropped}) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("fault rates must be in [0, 1]");
            }
        }
        if (rateLimited + serverError + unavailable + timeout + dropped > 1.0 + 1e-9) {
            throw new IllegalArgumentException("fault rates must add up to at most 1");
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
        }
    }

    public static FaultOptions none() {
        return new FaultOptions(0, 0, 0, 0, 0, 1, 0);
    }

    public boolean any() {
        return rateLimited + serverError + unavailable + timeout + dropped > 0;
    }

    /** These faults plus one more scripted outage. */
    public FaultOptions withOutage(Outage outage) {
        List<Outage> more = new ArrayList<>(outages);
        more.add(outage);
        return new FaultOptions(rateLimited, serverError, unavailable, timeout, dropped, retryAfterSeconds, seed, more);
    }

    public FaultOptions withRateLimited(double rate, long retryAfterSeconds) {
        return new FaultOptions(rate, serverError, unavailable, timeout, dropped, retryAfterSeconds, seed, outages);
    }

    public FaultOptions withServerError(double rate) {
        return new FaultOptions(rateLimited, rate, unavailable, timeout, dropped, retryAfterSeconds, seed, outages);
    }

    public FaultOptions withUnavailable(double rate) {
        return new FaultOptions(rateLimited, serverError, rate, timeout, dropped, retryAfterSeconds, seed, outages);
    }

    public FaultOptions withTimeout(double rate) {
        return new FaultOptions(rateLimited, serverError, unavailable, rate, dropped, retryAfterSeconds, seed, outages);
    }

    public FaultOptions withDropped(double rate) {
        return new FaultOptions(rateLimited, serverError, unavailable, timeout, rate, retryAfterSeconds, seed, outages);
    }

    public FaultOptions withSeed(long seed) {
        return new FaultOptions(
                rateLimited, serverError, unavailable, timeout, dropped, retryAfterSeconds, seed, outages);
    }
}
