package io.kroute.batch.ledger;

import io.kroute.schemas.LlmResponse;
import java.util.List;
import java.util.Locale;

/** The ledger's state stores (each changelogged, so a restarted gateway finds every job as it was) and their keys. */
public final class LedgerStores {

    /** batch id: {@link JobState}. Queried by the API. */
    public static final String JOBS = "batch-jobs";

    /** {@code <batch id>/<line>}: a {@link LedgerEvent.Line} not yet sent. */
    static final String QUEUE = "batch-queue";

    /** request id: the {@link InFlight} request it was sent for. */
    static final String REQUESTS = "batch-requests";

    /** {@code <batch id>/o/<line>} or {@code /e/<line>}: an output-file or error-file line. Queried by the API. */
    public static final String RESULTS = "batch-results";

    /** dedup key: the {@link CachedAnswer} of an identical request. */
    static final String ANSWERS = "batch-answers";

    /** dedup key of a request in flight: the {@link Waiters} for its answer. */
    static final String LEADERS = "batch-leaders";

    /** batch id of a job with queued requests: feeding looks only at these. */
    static final String ACTIVE = "batch-active";

    static final List<String> ALL = List.of(JOBS, QUEUE, REQUESTS, RESULTS, ANSWERS, LEADERS, ACTIVE);

    private LedgerStores() {}

    /** A request sent and not yet settled. */
    record InFlight(String batchId, int line, String customId, String dedupKey, double reservedUsd) {}

    /** An answer kept for identical requests, with when it was given (old ones are dropped). */
    record CachedAnswer(LlmResponse response, long at) {}

    /** A request waiting for an identical one in flight. */
    record Waiter(String batchId, LedgerEvent.Line line) {}

    record Waiters(List<Waiter> waiters) {}

    static String queueKey(String batchId, int line) {
        return batchId + "/" + lineKey(line);
    }

    /** The prefix of a job's output-file lines in the results store, in line order. */
    public static String outputPrefix(String batchId) {
        return batchId + "/o/";
    }

    /** The prefix of a job's error-file lines in the results store, in line order. */
    public static String errorPrefix(String batchId) {
        return batchId + "/e/";
    }

    static String lineKey(int line) {
        return String.format(Locale.ROOT, "%09d", line);
    }
}
