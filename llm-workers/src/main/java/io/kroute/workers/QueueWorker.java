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
    private final String queue;
    private final Providers providers;
    private final WorkerMetrics metrics;
    private QueueLoop loop;

    /** The worker of a tier's queue, {@code strong} or {@code weak}. */
    public QueueWorker(WorkerConfig config, Tier tier, Providers providers, WorkerMetrics metrics) {
        this(config, tier.wireName(), providers, metrics);
    }

    /** The worker of the queue named {@code queue} in {@link WorkerConfig#queues()}. */
    public QueueWorker(WorkerConfig config, String queue, Providers providers, WorkerMetrics metrics) {
        this.config = config;
        this.queue = queue;
        this.providers = providers;
        this.metrics = metrics;
    }

    @Override
    public Future<?> start() {
        TierConfig section = config.queue(queue);
        if (section.resolveApiKey() == null
                && section.apiKeyEnv() != null
                && !section.apiKeyEnv().isBlank()) {
            LOG.warn(
                    "{}: environment variable {} is not set; calling {} without an API key",
                    queue,
                    section.apiKeyEnv(),
                    section.baseUrl());
        }
        TierConfig fallback = section.hasFallback() ? config.queue(section.fallback()) : null;
        PromptProcessor processor = new PromptProcessor(
                vertx,
                queue,
                section.model(),
                providers.client(section.provider()),
                fallback == null ? null : fallback.model(),
                fallback == null ? null : providers.client(fallback.provider()),
                new PriceTable(config.prices()),
                metrics,
                Clock.systemUTC(),
                KafkaClientSettings.maxRecordBytes(config));
        loop = new QueueLoop(config, queue, context, processor::process, metrics);
        Thread thread = new Thread(loop, "kroute-queue-" + queue);
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

    /** The queue's name: {@code strong}, {@code weak}, or its name under {@code models:}. */
    public String queue() {
        return queue;
    }

    /** Calls in flight now; for monitoring and tests. */
    public int inFlight() {
        return loop == null ? 0 : loop.inFlight();
    }
}
