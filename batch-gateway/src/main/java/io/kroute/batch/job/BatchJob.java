package io.kroute.batch.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * A batch job as the jobs topic keeps it (one compacted record per job) and as {@code GET /v1/batches/{id}} shows it.
 * Immutable: every change returns the next state, and a change the job's status does not allow throws, so a replayed
 * or reordered event cannot move a finished job backwards.
 *
 * <p>Counts: {@code total} is fixed when the job starts; each request then ends once, as completed (an answer) or
 * failed (a dead letter, an invalid line, or cancelled before it was routed). When every request has ended the job
 * is finalizing, then completed (or cancelled, if it was cancelling) once its output and error files are written.
 *
 * @param owner the API key id that created it; no other key sees it
 * @param times epoch seconds of each status reached, by the status's wire name ({@code in_progress} etc.)
 */
public record BatchJob(
        String id,
        String owner,
        String inputFileId,
        String endpoint,
        String completionWindow,
        BatchStatus status,
        long createdAt,
        Map<String, Long> times,
        int total,
        int completed,
        int failed,
        Map<String, String> metadata,
        String outputFileId,
        String errorFileId) {

    public BatchJob {
        times = Map.copyOf(times);
        metadata = Map.copyOf(metadata);
        if (total < 0 || completed < 0 || failed < 0 || completed + failed > total) {
            throw new IllegalArgumentException(
                    "counts out of range: total " + total + ", completed " + completed + ", failed " + failed);
        }
    }

    /** A job just created from a file, before its lines are counted. */
    public static BatchJob created(
            String id,
            String owner,
            String inputFileId,
            String endpoint,
            String completionWindow,
            Map<String, String> metadata,
            long now) {
        return new BatchJob(
                id,
                owner,
                inputFileId,
                endpoint,
                completionWindow,
                BatchStatus.VALIDATING,
                now,
                Map.of(),
                0,
                0,
                0,
                metadata,
                null,
                null);
    }

    /** The file was read: {@code total} requests, of which {@code invalid} lines already failed. */
    public BatchJob started(int total, int invalid, long now) {
        if (invalid > total) {
            throw new IllegalArgumentException("invalid lines " + invalid + " > total " + total);
        }
        BatchJob next = moved(BatchStatus.IN_PROGRESS, now).withCounts(total, 0, invalid);
        return next.completed + next.failed == total ? next.moved(BatchStatus.FINALIZING, now) : next;
    }

    /** The file could not be used at all. */
    public BatchJob failedValidation(long now) {
        return moved(BatchStatus.FAILED, now);
    }

    /** One request ended: answered ({@code success}) or not. The last one moves the job to finalizing. */
    public BatchJob ended(boolean success, long now) {
        if (status != BatchStatus.IN_PROGRESS && status != BatchStatus.CANCELLING) {
            throw new IllegalStateException("job " + id + " is " + status.wire() + ": no request can end in it");
        }
        if (completed + failed >= total) {
            throw new IllegalStateException("job " + id + ": all " + total + " requests have already ended");
        }
        BatchJob next = withCounts(total, completed + (success ? 1 : 0), failed + (success ? 0 : 1));
        if (next.completed + next.failed < total) {
            return next;
        }
        return status == BatchStatus.CANCELLING ? next : next.moved(BatchStatus.FINALIZING, now);
    }

    /** Cancellation asked for: requests not yet routed will end as failed ({@code cancelled}). */
    public BatchJob cancelling(long now) {
        return moved(BatchStatus.CANCELLING, now);
    }

    /** The output and error files are written: completed, or cancelled if it was cancelling. */
    public BatchJob finished(String outputFileId, String errorFileId, long now) {
        if (completed + failed != total) {
            throw new IllegalStateException(
                    "job " + id + ": " + (total - completed - failed) + " requests have not ended yet");
        }
        BatchStatus end = status == BatchStatus.CANCELLING ? BatchStatus.CANCELLED : BatchStatus.COMPLETED;
        BatchJob next = moved(end, now);
        return next.with(next.status, next.times, total, completed, failed, outputFileId, errorFileId);
    }

    private BatchJob moved(BatchStatus to, long now) {
        if (!status.canMoveTo(to)) {
            throw new IllegalStateException("job " + id + " cannot go from " + status.wire() + " to " + to.wire());
        }
        Map<String, Long> at = new HashMap<>(times);
        at.put(to.wire(), now);
        return with(to, at, total, completed, failed, outputFileId, errorFileId);
    }

    private BatchJob withCounts(int total, int completed, int failed) {
        return with(status, times, total, completed, failed, outputFileId, errorFileId);
    }

    /** The same job with what may change; its identity (id, owner, file, endpoint, window, metadata) never does. */
    private BatchJob with(
            BatchStatus status,
            Map<String, Long> times,
            int total,
            int completed,
            int failed,
            String outputFileId,
            String errorFileId) {
        return new BatchJob(
                id,
                owner,
                inputFileId,
                endpoint,
                completionWindow,
                status,
                createdAt,
                times,
                total,
                completed,
                failed,
                metadata,
                outputFileId,
                errorFileId);
    }

    /** The job as OpenAI's Batches API returns it. */
    public ObjectNode toOpenAi() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id);
        node.put("object", "batch");
        node.put("endpoint", endpoint);
        node.putNull("errors");
        node.put("input_file_id", inputFileId);
        node.put("completion_window", completionWindow);
        node.put("status", status.wire());
        putOrNull(node, "output_file_id", outputFileId);
        putOrNull(node, "error_file_id", errorFileId);
        node.put("created_at", createdAt);
        for (BatchStatus s : BatchStatus.values()) {
            if (s.timestampField() != null) {
                Long at = times.get(s.wire());
                if (at == null) {
                    node.putNull(s.timestampField());
                } else {
                    node.put(s.timestampField(), at);
                }
            }
        }
        ObjectNode counts = node.putObject("request_counts");
        counts.put("total", total);
        counts.put("completed", completed);
        counts.put("failed", failed);
        ObjectNode meta = node.putObject("metadata");
        metadata.forEach(meta::put);
        return node;
    }

    private static void putOrNull(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
