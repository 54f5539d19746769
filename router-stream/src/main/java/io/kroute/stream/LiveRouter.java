package io.kroute.stream;

import io.kroute.router.Router;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router the stream serves right now, with its threshold, replaceable while the stream runs. A record is scored
 * by exactly one router: {@link #apply} pins the router in service for the whole decision, and a replaced router is
 * closed only when the last decision that pinned it is done.
 */
public final class LiveRouter {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRouter.class);

    /** A router with the threshold that goes with it (thresholds are per router: they come from its calibration). */
    public record Active(Router router, double threshold) {}

    /** How a new router's threshold is chosen: a fixed value, or the one that gives a share of strong calls. */
    public record ThresholdRule(Double fixed, double strongShare) {

        public static ThresholdRule fixed(double threshold) {
            return new ThresholdRule(threshold, Double.NaN);
        }

        public static ThresholdRule share(double strongShare) {
            return new ThresholdRule(null, strongShare);
        }

        double thresholdFor(Router router) {
            return fixed != null ? fixed : router.thresholdForStrongShare(strongShare);
        }
    }

    private static final class Lease {
        final Active active;
        final AtomicInteger users = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean retired;

        Lease(Active active) {
            this.active = active;
        }

        void closeIfIdle() {
            if (retired && users.get() == 0 && closed.compareAndSet(false, true)) {
                try {
                    active.router().close();
                } catch (RuntimeException e) {
                    LOG.warn("closing retired router {} failed", active.router().info(), e);
                }
            }
        }
    }

    private final ThresholdRule rule;
    private final AtomicReference<Lease> current;

    public LiveRouter(Router initial, ThresholdRule rule) {
        this.rule = rule;
        this.current = new AtomicReference<>(new Lease(new Active(initial, rule.thresholdFor(initial))));
    }

    /** Runs {@code decision} with the router in service, which stays open until it returns. */
    public <T> T apply(Function<Active, T> decision) {
        while (true) {
            Lease lease = current.get();
            lease.users.incrementAndGet();
            if (current.get() != lease) {
                // Swapped between the read and the pin: use the new one.
                lease.users.decrementAndGet();
                lease.closeIfIdle();
                continue;
            }
            try {
                return decision.apply(lease.active);
            } finally {
                lease.users.decrementAndGet();
                lease.closeIfIdle();
            }
        }
    }

    /** Puts {@code next} in service; the previous router is closed once no decision uses it. */
    public Active swap(Router next) {
        Lease fresh = new Lease(new Active(next, rule.thresholdFor(next)));
        Lease old = current.getAndSet(fresh);
        old.retired = true;
        old.closeIfIdle();
        LOG.info(
                "router {} {} replaced by {} {} (threshold {})",
                old.active.router().info().kind(),
                old.active.router().info().version(),
                next.info().kind(),
                next.info().version(),
                fresh.active.threshold());
        return fresh.active;
    }

    /** The share of strong calls the threshold is chosen for, or NaN for a fixed threshold. */
    public double targetStrongShare() {
        return rule.fixed() != null ? Double.NaN : rule.strongShare();
    }

    public Active current() {
        return current.get().active;
    }

    /** Closes the router in service (the stream is shutting down). */
    public void close() {
        Lease last = current.get();
        last.retired = true;
        last.closeIfIdle();
    }
}
