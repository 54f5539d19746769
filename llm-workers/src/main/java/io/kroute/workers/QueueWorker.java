package io.kroute.workers;

import io.kroute.schemas.Tier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every prompt of one queue topic: a {@link QueueLoop} on its own thread reads the queue and commits outcomes
 * with offsets in transactions; this verticle's context runs the {@link PromptProcessor} (the LLM calls, many at
 * once, none blocking).
 */
public final class QueueWorker extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);

    private final WorkerConfig config;
    private final Tier tier;
    private final Providers providers;
    private final WorkerMetrics metrics;
    private QueueLoop loop;

    public QueueWorker(WorkerConfig config, Tier tier, Providers providers, WorkerMetrics metrics) {
        this.config = config;
        this.tier = tier;
        this.providers = providers;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        TierConfig tierConfig = config.tier(tier);
        if (tierConfig.resolveApiKey() == null
                && tierConfig.apiKeyEnv() != null
                && !tierConfig.apiKeyEnv().isBlank()) {
            LOG.warn(
                    "{}: environment variable {} is not set; calling {} without an API key",
                    tier.wireName(),
                    tierConfig.apiKeyEnv(),
                    tierConfig.baseUrl());
        }
        TierConfig fallback = tierConfig.hasFallback() ? config.tier(Tier.fromWire(tierConfig.fallback())) : null;
        PromptProcessor processor = new PromptProcessor(
                vertx,
                tier,
                tierConfig.model(),
                providers.client(tierConfig.provider()),
                fallback == null ? null : fallback.model(),
                fallback == null ? null : providers.client(fallback.provider()),
                new PriceTable(config.prices()),
                metrics,
                Clock.systemUTC(),
                KafkaClientSettings.maxRecordBytes(config));
        loop = new QueueLoop(config, tier, context, processor::process, metrics);
        Thread thread = new Thread(loop, "kroute-queue-" + tier.wireName());
        thread.start();
        return loop.subscribed();
    }

    /**
     * Stops taking records, waits up to {@code shutdown_timeout_ms} for the calls in flight, commits what finished and
     * closes the clients. Records still in flight at the deadline stay uncommitted and are read again later.
     */
    @Override
    public Future<?> stop() {
        loop.stop(config.shutdownTimeoutMs());
        return loop.stopped();
    }

    /** Whether this queue's consumer is subscribed and running: what {@code /health} reports per queue. */
    public boolean consuming() {
        return loop != null && loop.consuming();
    }

    public Tier tier() {
        return tier;
    }

    /** Calls in flight now; for monitoring and tests. */
    public int inFlight() {
        return loop == null ? 0 : loop.inFlight();
    }
}
