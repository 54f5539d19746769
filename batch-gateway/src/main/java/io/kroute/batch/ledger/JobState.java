package io.kroute.batch.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.batch.job.BatchJob;

/**
 * A job and the ledger's accounting of it: the value of the jobs store and the jobs topic.
 *
 * @param queued requests read from the file and not yet sent to the router
 * @param inFlight requests sent and not yet answered or dead-lettered
 * @param waiting requests waiting for an identical request's answer (one answer per duplicate)
 * @param spentUsd what the answers cost, as the workers priced them
 * @param reservedUsd the worst-case cost of the requests in flight, released as each settles
 * @param cacheHits requests answered from an identical request's answer, without a call
 * @param strong answers from the strong tier
 * @param weak answers from the weak tier
 */
public record JobState(
        BatchJob job,
        JobSettings settings,
        int queued,
        int inFlight,
        int waiting,
        double spentUsd,
        double reservedUsd,
        int cacheHits,
        int strong,
        int weak) {

    public static JobState of(BatchJob job, JobSettings settings) {
        return new JobState(job, settings, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public JobState withJob(BatchJob next) {
        return new JobState(next, settings, queued, inFlight, waiting, spentUsd, reservedUsd, cacheHits, strong, weak);
    }

    JobState counts(int queued, int inFlight, int waiting) {
        return new JobState(job, settings, queued, inFlight, waiting, spentUsd, reservedUsd, cacheHits, strong, weak);
    }

    JobState money(double spentUsd, double reservedUsd) {
        return new JobState(job, settings, queued, inFlight, waiting, spentUsd, reservedUsd, cacheHits, strong, weak);
    }

    JobState answers(int cacheHits, int strong, int weak) {
        return new JobState(job, settings, queued, inFlight, waiting, spentUsd, reservedUsd, cacheHits, strong, weak);
    }

    /** The budget left for new calls, or infinity without a budget. */
    double headroomUsd() {
        return settings.budgetUsd() == null ? Double.POSITIVE_INFINITY : settings.budgetUsd() - spentUsd - reservedUsd;
    }

    /** OpenAI's batch object, with kroute's accounting under {@code kroute}. */
    public ObjectNode toOpenAi() {
        ObjectNode node = job.toOpenAi();
        ObjectNode kroute = node.putObject("kroute");
        kroute.put("spent_usd", spentUsd);
        kroute.put("reserved_usd", reservedUsd);
        if (settings.budgetUsd() == null) {
            kroute.putNull("budget_usd");
        } else {
            kroute.put("budget_usd", settings.budgetUsd());
        }
        kroute.put("on_budget", settings.onBudget().wire());
        kroute.put("dedup", settings.dedup());
        if (settings.strongShare() == null) {
            kroute.putNull("strong_share");
        } else {
            kroute.put("strong_share", settings.strongShare());
        }
        kroute.put("cache_hits", cacheHits);
        kroute.put("strong", strong);
        kroute.put("weak", weak);
        kroute.put("queued", queued);
        kroute.put("in_flight", inFlight);
        kroute.put("waiting", waiting);
        return node;
    }
}
