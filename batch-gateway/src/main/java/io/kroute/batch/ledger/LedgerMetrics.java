package io.kroute.batch.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the ledger counts, for {@code GET /metrics}: requests sent to the router, requests ended by how they ended
 * (answered by a call, answered from an identical request's answer, failed, cancelled, out of budget), and the money
 * the answers cost. Counters move when the ledger processes, so a crash that replays a few events can count them
 * twice; the jobs' own counts are the exact ones.
 */
public final class LedgerMetrics {

    /** How a request of a job ended. */
    enum Ended {
        ANSWERED,
        ANSWERED_FROM_TWIN,
        FAILED,
        CANCELLED,
        BUDGET_EXHAUSTED,
        INVALID_LINE
    }

    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter spent;

    public LedgerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sent = Counter.builder("kroute_batch_requests_sent")
                .description("batch requests sent to the router")
                .register(registry);
        this.spent = Counter.builder("kroute_batch_spent_usd")
                .description("what batch requests' answers cost, as the workers priced them")
                .register(registry);
    }

    public static LedgerMetrics noop() {
        return new LedgerMetrics(new SimpleMeterRegistry());
    }

    void sent() {
        sent.increment();
    }

    void ended(Ended how) {
        Counter.builder("kroute_batch_requests_ended")
                .description("batch requests ended, by how")
                .tag("how", how.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)
                .increment();
    }

    void spent(double usd) {
        spent.increment(usd);
    }
}
