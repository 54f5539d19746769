package io.kroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What the batch commands read of a batch object: OpenAI's fields and kroute's accounting under {@code kroute}. Lenient
 * on purpose: every {@code kroute} field may be missing or null (an older gateway, a batch still validating), and is
 * then null here and left out of what is shown. Only the id and status are required.
 *
 * @param total requests in the input file, 0 until validated
 * @param firstError the first of the batch's {@code errors} (why it failed validation), or null
 */
record Batch(
        String id,
        String status,
        String outputFileId,
        String errorFileId,
        long total,
        long completed,
        long failed,
        Long createdAt,
        String firstError,
        Double spentUsd,
        Double reservedUsd,
        Double budgetUsd,
        Long cacheHits,
        Long strong,
        Long weak,
        Long queued,
        Long inFlight) {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "expired", "cancelled");
    private static final int STATUS_CHARS = 40;
    private static final int ERROR_CHARS = 300;

    /** @throws BatchFailure the object has no usable id or status */
    static Batch from(JsonNode node) throws BatchFailure {
        String id = text(node, "id");
        if (!GatewayId.isSafe(id)) {
            throw new BatchFailure("the gateway answered no usable batch id");
        }
        String status = text(node, "status");
        if (status == null) {
            throw new BatchFailure("the gateway answered batch " + id + " without a status");
        }
        JsonNode counts = node.path("request_counts");
        JsonNode kroute = node.path("kroute");
        return new Batch(
                id,
                OneLine.printable(status, STATUS_CHARS),
                fileId(node, "output_file_id"),
                fileId(node, "error_file_id"),
                count(counts, "total"),
                count(counts, "completed"),
                count(counts, "failed"),
                whole(node, "created_at"),
                firstError(node.path("errors")),
                decimal(kroute, "spent_usd"),
                decimal(kroute, "reserved_usd"),
                decimal(kroute, "budget_usd"),
                whole(kroute, "cache_hits"),
                whole(kroute, "strong"),
                whole(kroute, "weak"),
                whole(kroute, "queued"),
                whole(kroute, "in_flight"));
    }

    /** No status follows this one: polling can stop. */
    boolean terminal() {
        return TERMINAL.contains(status);
    }

    /** Requests with an answer, good or bad. */
    long done() {
        return completed + failed;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    /** A file id is put into a URL path: one that is not plainly an id is treated as absent. */
    private static String fileId(JsonNode node, String field) throws BatchFailure {
        String id = text(node, field);
        if (id != null && !GatewayId.isSafe(id)) {
            throw new BatchFailure("the gateway answered an unusable " + field);
        }
        return id;
    }

    private static long count(JsonNode node, String field) {
        Long value = whole(node, field);
        return value == null || value < 0 ? 0 : value;
    }

    private static Long whole(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : null;
    }

    private static Double decimal(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() && Double.isFinite(value.asDouble()) ? value.asDouble() : null;
    }

    private static String firstError(JsonNode errors) {
        JsonNode first = errors.path("data").path(0);
        JsonNode message = first.path("message");
        if (!message.isTextual()) {
            return null;
        }
        JsonNode line = first.path("line");
        String where = line.isIntegralNumber() ? "line " + line.asLong() + ": " : "";
        return where + OneLine.printable(OneLine.of(message.asText()), ERROR_CHARS);
    }
}
