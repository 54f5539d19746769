package io.kroute.workers;

import io.kroute.schemas.DeadLetter;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * An outcome the cluster refused to write because of what it is (too large for its topic, a shape the topic does not
 * take). Writing it again would fail again and hold its partition for ever, and reading its record again would pay for
 * the call again; so it is replaced by a small dead letter that says why, and the record counts as done.
 */
final class RejectedOutcome {

    private static final String REASON_START = "outcome not writable: ";

    private RejectedOutcome() {}

    /** Whether writing the same outcome again must fail the same way (not a broker or network trouble). */
    static boolean isTheOutcomesFault(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException;
    }

    /** A replacement refused too means the dead-letter topic itself refuses small records: nothing to replace then. */
    static boolean isReplacement(Outcome outcome) {
        return !outcome.isResponse() && outcome.deadLetter().reason().startsWith(REASON_START);
    }

    /**
     * The dead letter for the record at {@code sourceTopic}/{@code partition}/{@code offset} whose outcome
     * {@code refused} could not be written to {@code targetTopic}. The record is not copied (it may be what was too
     * large): it stays in its topic, found by partition and offset.
     */
    static Outcome replacement(
            Outcome refused,
            String targetTopic,
            String sourceTopic,
            int partition,
            long offset,
            Throwable failure,
            long now) {
        String what = refused.isResponse()
                ? "response (" + refused.response().model() + ", cost_usd "
                        + refused.response().costUsd() + ")"
                : "dead letter";
        String reason = REASON_START + "the " + what + " of " + refused.value().length + " bytes was refused by "
                + targetTopic + ": " + failure + "; the record is not copied here, read it at " + sourceTopic
                + " partition " + partition + " offset " + offset
                + (refused.isResponse()
                        ? ""
                        : "; the dead letter said: " + refused.deadLetter().reason());
        return Outcome.deadLettered(
                DeadLetter.of(refused.key(), null, sourceTopic, partition, offset, PromptProcessor.STAGE, reason, now));
    }
}
