package io.kroute.batch.ledger;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kroute.batch.job.BatchJob;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;

/**
 * What the ledger of batch jobs learns, keyed by batch id: from the gateway (a job created, its lines, a cancel) on
 * the events topic, and from the pipeline (an answer, a dead letter) re-keyed from the responses and dead-letter
 * topics. One job's events all reach one task in order, so its counts, budget and duplicates are decided in one place.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LedgerEvent.Created.class, name = "created"),
    @JsonSubTypes.Type(value = LedgerEvent.Line.class, name = "line"),
    @JsonSubTypes.Type(value = LedgerEvent.LineFailed.class, name = "line_failed"),
    @JsonSubTypes.Type(value = LedgerEvent.Validated.class, name = "validated"),
    @JsonSubTypes.Type(value = LedgerEvent.Cancel.class, name = "cancel"),
    @JsonSubTypes.Type(value = LedgerEvent.Answered.class, name = "answered"),
    @JsonSubTypes.Type(value = LedgerEvent.DeadLettered.class, name = "dead_lettered")
})
public sealed interface LedgerEvent {

    /** A job was created (validating); its lines follow, then {@link Validated}, in the same transaction. */
    record Created(BatchJob job, JobSettings settings) implements LedgerEvent {}

    /**
     * A request of the job's file.
     *
     * @param dedupKey the hash of the request's model, messages and parameters: identical requests share it
     */
    record Line(int line, String customId, String dedupKey, PromptRequest request) implements LedgerEvent {}

    /** A line of the file that will not run, for the error file. */
    record LineFailed(int line, String customId, String code, String message) implements LedgerEvent {}

    /** The whole file was read: {@code total} lines, {@code invalid} of them failed. */
    record Validated(int total, int invalid) implements LedgerEvent {}

    /** The owner asked to cancel. */
    record Cancel(long at) implements LedgerEvent {}

    /** A worker answered one of the job's requests. */
    record Answered(String requestId, LlmResponse response) implements LedgerEvent {}

    /** One of the job's requests was dead-lettered by the router-stream or a worker. */
    record DeadLettered(String requestId, String stage, String reason) implements LedgerEvent {}
}
