package io.kroute.replay;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sits in front of {@link ChatCompletionHandler} and fails a share of the requests the ways real providers do, or all
 * of them during an outage switched on with {@link #outage(boolean)}. Runs on the server's event loop only.
 */
public final class FaultInjector implements Handler<RoutingContext> {

    /** The kinds of injected failure, for counting. */
    public enum Fault {
        RATE_LIMITED,
        SERVER_ERROR,
        UNAVAILABLE,
        TIMEOUT,
        DROPPED,
        OUTAGE
    }

    private final FaultOptions options;
    private final SplittableRandom random;
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private volatile boolean outage;
    private long firstRequestNanos = -1;
    private volatile Vertx vertx;
    private volatile long errorDelayMs;

    public FaultInjector(FaultOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicLong());
        }
    }

    /**
     * Answers injected errors after this delay, as real providers take their time to fail too. Without it, errors
     * come back before every answer and a client's first completed calls are nearly all failures.
     */
    void delayErrors(Vertx vertx, long delayMs) {
        this.vertx = vertx;
        this.errorDelayMs = delayMs;
    }

    /** While on, every chat completion is answered 503, as during a provider outage. */
    public void outage(boolean on) {
        outage = on;
    }

    /** How many requests got each fault so far. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        injected.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Fault fault = outage || inScriptedOutage() ? Fault.OUTAGE : draw();
        if (fault == null) {
            ctx.next();
            return;
        }
        injected.get(fault).incrementAndGet();
        if (errorDelayMs > 0 && fault != Fault.TIMEOUT && fault != Fault.DROPPED) {
            vertx.setTimer(errorDelayMs, id -> inject(ctx, fault));
        } else {
            inject(ctx, fault);
        }
    }

    private void inject(RoutingContext ctx, Fault fault) {
        switch (fault) {
            case RATE_LIMITED -> {
                ctx.response().putHeader("Retry-After", String.valueOf(options.retryAfterSeconds()));
                ReplayServer.sendError(
                        ctx,
                        new OpenAiError(
                                429,
                                "requests",
                                "rate_limit_exceeded",
                                "Rate limit reached (replay fault injection). Please try again in "
                                        + options.retryAfterSeconds() + "s."));
            }
            case SERVER_ERROR -> ReplayServer.sendError(
                    ctx,
                    new OpenAiError(
                            500,
                            "server_error",
                            null,
                            "The server had an error while processing your request (replay fault injection)."));
            case UNAVAILABLE, OUTAGE -> ReplayServer.sendError(
                    ctx,
                    new OpenAiError(
                            503,
                            "server_error",
                            null,
                            "The server is overloaded or not ready yet (replay "
                                    + (fault == Fault.OUTAGE ? "outage" : "fault injection") + ")."));
            case TIMEOUT -> {
                // hold the request: the client's timeout (or its closing the connection) ends it
            }
            case DROPPED -> ctx.request().connection().close();
        }
    }

    private boolean inScriptedOutage() {
        if (options.outages().isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        if (firstRequestNanos < 0) {
            firstRequestNanos = now;
        }
        long elapsedMs = (now - firstRequestNanos) / 1_000_000;
        for (FaultOptions.Outage scripted : options.outages()) {
            if (scripted.covers(elapsedMs)) {
                return true;
            }
        }
        return false;
    }

    private Fault draw() {
        if (!options.any()) {
            return null;
        }
        double r = random.nextDouble();
        double bound = options.rateLimited();
        if (r < bound) {
            return Fault.RATE_LIMITED;
        }
        bound += options.serverError();
        if (r < bound) {
            return Fault.SERVER_ERROR;
        }
        bound += options.unavailable();
        if (r < bound) {
            return Fault.UNAVAILABLE;
        }
        bound += options.timeout();
        if (r < bound) {
            return Fault.TIMEOUT;
        }
        bound += options.dropped();
        return r < bound ? Fault.DROPPED : null;
    }
}
