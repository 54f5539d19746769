package io.kroute.batch.job;

import java.util.Locale;
import java.util.Set;

/** The statuses of OpenAI's batch object, and which may follow which. */
public enum BatchStatus {
    VALIDATING(null),
    FAILED("failed_at"),
    IN_PROGRESS("in_progress_at"),
    FINALIZING("finalizing_at"),
    COMPLETED("completed_at"),
    EXPIRED("expired_at"),
    CANCELLING("cancelling_at"),
    CANCELLED("cancelled_at");

    private final String timestampField;

    BatchStatus(String timestampField) {
        this.timestampField = timestampField;
    }

    /** The status as the API writes it, e.g. {@code in_progress}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The batch object's field holding when the status was reached, or null (validating has none). */
    String timestampField() {
        return timestampField;
    }

    /** No status follows this one. */
    public boolean terminal() {
        return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
    }

    boolean canMoveTo(BatchStatus next) {
        return switch (this) {
            case VALIDATING -> Set.of(IN_PROGRESS, FAILED, CANCELLING).contains(next);
            case IN_PROGRESS -> Set.of(FINALIZING, CANCELLING, EXPIRED).contains(next);
            case FINALIZING -> Set.of(COMPLETED, EXPIRED).contains(next);
            case CANCELLING -> next == CANCELLED;
            case FAILED, COMPLETED, EXPIRED, CANCELLED -> false;
        };
    }
}
