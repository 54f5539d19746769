package io.kroute.batch.ledger;

import java.time.Duration;

/**
 * How the ledger feeds and remembers.
 *
 * @param maxInFlightPerJob requests of one job sent and not yet settled; more wait in the job's queue, so a large job
 *     does not fill the pipeline ahead of every other job, and a cancel stops most of it
 * @param feedInterval how often queued requests are sent
 * @param prices the tiers' prices, for budgets
 * @param answerCacheTtl how long an answer is reused for identical requests
 */
public record LedgerOptions(int maxInFlightPerJob, Duration feedInterval, Prices prices, Duration answerCacheTtl) {

    public LedgerOptions {
        if (maxInFlightPerJob < 1) {
            throw new IllegalArgumentException("max_in_flight_per_job must be at least 1, got " + maxInFlightPerJob);
        }
    }
}
