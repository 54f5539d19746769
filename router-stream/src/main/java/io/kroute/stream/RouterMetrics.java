package io.kroute.stream;

import io.kroute.schemas.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the router-stream counts: prompts routed per tier and router version, dead letters per kind of failure, the
 * time the router takes to score a prompt, and the threshold each stream task decided its last prompt with (it moves
 * when the policy calibrates on traffic).
 */
public final class RouterMetrics {

    /** Why a record was dead-lettered, as a low-cardinality tag. */
    public enum Rejection {
        EMPTY,
        NOT_JSON,
        SCHEMA,
        TOO_LARGE,
        DUPLICATE,
        ROUTER_FAILED;

        static Rejection of(String reason) {
            if (reason.startsWith("empty")) {
                return EMPTY;
            }
            if (reason.startsWith("not valid JSON")) {
                return NOT_JSON;
            }
            return SCHEMA;
        }
    }

    private final MeterRegistry registry;
    private final Timer scoring;
    private final Map<String, Counter> routed = new ConcurrentHashMap<>();
    private final Map<Rejection, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> thresholds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> strongShares = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scoring = Timer.builder("kroute.router.score")
                .description("time to score one prompt")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** Metrics that go nowhere, for tests and embedded use without an endpoint. */
    public static RouterMetrics noop() {
        return new RouterMetrics(new SimpleMeterRegistry());
    }

    Timer scoring() {
        return scoring;
    }

    void routed(Tier tier, String router, String version, boolean forced) {
        String key = tier.wireName() + '|' + router + '|' + version + '|' + forced;
        routed.computeIfAbsent(key, k -> Counter.builder("kroute.router.routed")
                        .description("prompts routed, by tier and router version")
                        .tag("tier", tier.wireName())
                        .tag("router", router)
                        .tag("router_version", version)
                        .tag("forced", Boolean.toString(forced))
                        .register(registry))
                .increment();
    }

    void threshold(String task, double threshold) {
        thresholds
                .computeIfAbsent(task, t -> {
                    AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
                    Gauge.builder("kroute.router.threshold", bits, b -> Double.longBitsToDouble(b.get()))
                            .description("threshold of the last decision, by stream task")
                            .tag("task", t)
                            .register(registry);
                    return bits;
                })
                .set(Double.doubleToLongBits(threshold));
    }

    void strongShare(String task, double share) {
        strongShares
                .computeIfAbsent(task, t -> {
                    AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
                    Gauge.builder("kroute.router.strong.share", bits, b -> Double.longBitsToDouble(b.get()))
                            .description("share of the task's last 1,000 decisions routed to the strong model")
                            .tag("task", t)
                            .register(registry);
                    return bits;
                })
                .set(Double.doubleToLongBits(share));
    }

    void rejected(Rejection kind) {
        rejected.computeIfAbsent(kind, k -> Counter.builder("kroute.router.dead_letters")
                        .description("records sent to the dead-letter topic, by kind of failure")
                        .tag("kind", k.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry))
                .increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
