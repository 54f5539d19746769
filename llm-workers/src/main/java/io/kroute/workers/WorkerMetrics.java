package io.kroute.workers;

import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.kroute.schemas.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The workers' meters. Names (Prometheus form): {@code kroute_llm_calls_seconds} (latency by provider and outcome),
 * {@code kroute_llm_errors_total} (by provider and kind), {@code kroute_llm_retries_total},
 * {@code kroute_llm_tokens_total} and {@code kroute_llm_cost_usd_total} (by model, queue and direction),
 * {@code kroute_worker_outcomes_total} (by queue and outcome: ok, fallback, dead_letter),
 * {@code kroute_worker_in_flight}, {@code kroute_worker_uncommitted}, {@code kroute_worker_consumer_lag}, and
 * resilience4j's own ({@code resilience4j_circuitbreaker_state}, ...) for every provider's set. The {@code queue} label
 * is the queue's name: {@code strong} or {@code weak} for the two tiers, else its name under {@code models:}.
 */
public final class WorkerMetrics {

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that go nowhere, for tests and embedded use. */
    public static WorkerMetrics noop() {
        return new WorkerMetrics(new SimpleMeterRegistry());
    }

    public static PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Publishes breaker states, retry counts, bulkhead and limiter figures of every set in the registries. */
    public void bind(ProviderResilience.Registries registries) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registries.circuitBreakers())
                .bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(registries.retries()).bindTo(registry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(registries.bulkheads()).bindTo(registry);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(registries.timeLimiters())
                .bindTo(registry);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(registries.rateLimiters())
                .bindTo(registry);
    }

    void callSucceeded(String provider, long nanos) {
        timer(provider, "ok").record(nanos, TimeUnit.NANOSECONDS);
    }

    void callTimed(String provider, LlmCallException.Kind kind, long nanos) {
        timer(provider, kind.metricName()).record(nanos, TimeUnit.NANOSECONDS);
    }

    void callFailed(String provider, LlmCallException.Kind kind) {
        Counter.builder("kroute.llm.errors")
                .description("failed LLM calls by kind")
                .tag("provider", provider)
                .tag("kind", kind.metricName())
                .register(registry)
                .increment();
    }

    void retried(String provider) {
        Counter.builder("kroute.llm.retries")
                .description("LLM call attempts after the first")
                .tag("provider", provider)
                .register(registry)
                .increment();
    }

    void answered(Tier tier, String model, boolean fallback, int promptTokens, int completionTokens, double cost) {
        answered(tier.wireName(), model, fallback, promptTokens, completionTokens, cost);
    }

    void answered(String queue, String model, boolean fallback, int promptTokens, int completionTokens, double cost) {
        outcome(queue, fallback ? "fallback" : "ok");
        tokens(queue, model, "prompt", promptTokens);
        tokens(queue, model, "completion", completionTokens);
        Counter.builder("kroute.llm.cost.usd")
                .description("what the answers cost, by the model that answered")
                .tag("queue", queue)
                .tag("model", model)
                .register(registry)
                .increment(cost);
    }

    void deadLettered(String queue) {
        outcome(queue, "dead_letter");
    }

    /** Gauges read from the queue loop: calls in flight, records taken and not committed, consumer lag. */
    void queueGauges(String queue, Supplier<Number> inFlight, Supplier<Number> uncommitted, Supplier<Number> lag) {
        Gauge.builder("kroute.worker.in.flight", inFlight)
                .description("LLM calls in progress for records of this queue")
                .tag("queue", queue)
                .register(registry);
        Gauge.builder("kroute.worker.uncommitted", uncommitted)
                .description("records taken and not yet committed (in flight or waiting for their transaction)")
                .tag("queue", queue)
                .register(registry);
        Gauge.builder("kroute.worker.consumer.lag", lag)
                .description("records of the queue not yet read by this worker, over its partitions")
                .tag("queue", queue)
                .register(registry);
    }

    void committed(String queue, int records, long nanos) {
        Timer.builder("kroute.worker.transactions")
                .description("committed transactions of outcomes and offsets")
                .tag("queue", queue)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        Counter.builder("kroute.worker.committed.records")
                .tag("queue", queue)
                .register(registry)
                .increment(records);
    }

    void transactionFailed(String queue, String kind) {
        Counter.builder("kroute.worker.transaction.failures")
                .tag("queue", queue)
                .tag("kind", kind)
                .register(registry)
                .increment();
    }

    private void outcome(String queue, String outcome) {
        Counter.builder("kroute.worker.outcomes")
                .description("final outcomes produced, by queue")
                .tag("queue", queue)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private void tokens(String queue, String model, String direction, int count) {
        Counter.builder("kroute.llm.tokens")
                .tag("queue", queue)
                .tag("model", model)
                .tag("direction", direction)
                .register(registry)
                .increment(count);
    }

    private Timer timer(String provider, String outcome) {
        return Timer.builder("kroute.llm.calls")
                .description("LLM HTTP attempts and their latency")
                .tag("provider", provider)
                .tag("outcome", outcome)
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .register(registry);
    }
}
