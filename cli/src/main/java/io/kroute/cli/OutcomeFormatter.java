package io.kroute.cli;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.Json;
import io.kroute.schemas.LlmResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Renders what tail reads: for people, a line of facts per outcome and the start of the answer; or raw JSON. */
final class OutcomeFormatter {

    static final int ANSWER_LINES = 6;
    static final int LINE_CHARS = 160;
    static final int REASON_CHARS = 500;

    private OutcomeFormatter() {}

    /** The outcome for a person: one header line (the request id first, for grep), then the answer, indented. */
    static String pretty(TailedRecord tailed) {
        if (tailed.response() != null) {
            return response(tailed.response());
        }
        if (tailed.deadLetter() != null) {
            return deadLetter(tailed.requestId(), tailed.deadLetter());
        }
        return unreadable(tailed);
    }

    /** The record value as one line of JSON, as written; re-encoded compactly only if it spans lines. */
    static String json(TailedRecord tailed) {
        String value = new String(tailed.record().value(), StandardCharsets.UTF_8);
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        try {
            return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(value));
        } catch (IOException e) {
            throw new IllegalStateException("a readable record is JSON", e);
        }
    }

    /** Why a record cannot be read, where it is, and its key. */
    static String unreadable(TailedRecord tailed) {
        var record = tailed.record();
        return OneLine.printable(record.key() == null ? "-" : record.key(), LINE_CHARS) + "  unreadable  "
                + record.topic() + "-" + record.partition() + "@" + record.offset() + ": "
                + OneLine.printable(tailed.problem(), REASON_CHARS);
    }

    private static String response(LlmResponse response) {
        StringBuilder out = new StringBuilder();
        out.append(OneLine.printable(response.requestId(), LINE_CHARS))
                .append("  response  tier=")
                .append(response.tier().wireName())
                .append("  model=")
                .append(OneLine.printable(response.model(), LINE_CHARS))
                .append("  status=")
                .append(response.status().wireName())
                .append(String.format(Locale.ROOT, "  cost=$%.6f", response.costUsd()))
                .append("  latency=")
                .append(response.latencyMs())
                .append("ms");
        String text = response.text() == null ? "" : response.text().strip();
        if (text.isEmpty()) {
            return out.append("\n    (empty answer)").toString();
        }
        String[] lines = text.split("\r?\n|\r");
        for (int i = 0; i < Math.min(lines.length, ANSWER_LINES); i++) {
            out.append("\n    ").append(OneLine.printable(lines[i], LINE_CHARS));
        }
        if (lines.length > ANSWER_LINES) {
            out.append("\n    ... (").append(lines.length - ANSWER_LINES).append(" more lines)");
        }
        return out.toString();
    }

    private static String deadLetter(String requestId, DeadLetter letter) {
        return OneLine.printable(requestId == null ? "-" : requestId, LINE_CHARS) + "  dead letter  stage="
                + OneLine.printable(letter.stage(), LINE_CHARS) + "  reason="
                + OneLine.printable(letter.reason(), REASON_CHARS);
    }
}
