package io.kroute.cli;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders batches for people: a block for status, a line for list, a summary after --wait, a note on a progress bar. */
final class BatchFormatter {

    private BatchFormatter() {}

    /** Status and counts first, then what kroute adds when the gateway reports it; absent fields leave no line. */
    static String block(Batch batch) {
        List<String> lines = new ArrayList<>();
        lines.add(batch.id() + "  " + batch.status());
        lines.add(row(
                "requests",
                batch.done() + " of " + batch.total() + " done (" + batch.completed() + " completed, " + batch.failed()
                        + " failed)"));
        List<String> money = new ArrayList<>();
        if (batch.spentUsd() != null) {
            money.add(usd(batch.spentUsd()) + " spent");
        }
        if (batch.reservedUsd() != null) {
            money.add(usd(batch.reservedUsd()) + " reserved");
        }
        if (batch.budgetUsd() != null) {
            money.add("budget " + usd(batch.budgetUsd()));
        }
        addRow(lines, "cost", money);
        List<String> routing = new ArrayList<>();
        addCount(routing, batch.strong(), "strong");
        addCount(routing, batch.weak(), "weak");
        addCount(routing, batch.cacheHits(), "cache hits");
        addRow(lines, "routing", routing);
        List<String> queue = new ArrayList<>();
        addCount(queue, batch.queued(), "queued");
        addCount(queue, batch.inFlight(), "in flight");
        addRow(lines, "queue", queue);
        if (batch.createdAt() != null) {
            lines.add(row("created", instant(batch.createdAt())));
        }
        if (batch.outputFileId() != null) {
            lines.add(row("output", batch.outputFileId()));
        }
        if (batch.errorFileId() != null) {
            lines.add(row("errors", batch.errorFileId()));
        }
        if (batch.firstError() != null) {
            lines.add(row("problem", batch.firstError()));
        }
        return String.join("\n", lines);
    }

    /** One batch in a list: id, status, done/total, created, spent; columns line up for the usual id lengths. */
    static String line(Batch batch) {
        return String.format(
                        Locale.ROOT,
                        "%-30s %-11s %13s  %-20s  %s",
                        batch.id(),
                        batch.status(),
                        batch.done() + "/" + batch.total(),
                        batch.createdAt() == null ? "-" : instant(batch.createdAt()),
                        batch.spentUsd() == null ? "-" : usd(batch.spentUsd()))
                .stripTrailing();
    }

    /** The line after --wait: how it ended, what it cost, where the results are. */
    static String summary(Batch batch, List<Path> written) {
        StringBuilder line = new StringBuilder("batch: ")
                .append(batch.id())
                .append(' ')
                .append(batch.status())
                .append(": ")
                .append(batch.completed())
                .append(" completed, ")
                .append(batch.failed())
                .append(" failed");
        if (batch.spentUsd() != null) {
            line.append(", ").append(usd(batch.spentUsd())).append(" spent");
        }
        if (batch.firstError() != null) {
            line.append("; ").append(batch.firstError());
        }
        if (!written.isEmpty()) {
            line.append("; wrote ").append(written.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    /** The note after the count on a progress display: the status when it is not the usual one, and the cost. */
    static String progressNote(Batch batch) {
        List<String> parts = new ArrayList<>();
        if (!batch.status().equals("in_progress")) {
            parts.add(batch.status());
        }
        if (batch.spentUsd() != null) {
            parts.add(usd(batch.spentUsd()) + " spent");
        }
        return String.join(", ", parts);
    }

    /** Four decimals: a batch of small calls costs cents, and a tenth of a cent is still worth seeing. */
    static String usd(double amount) {
        return String.format(Locale.ROOT, "$%.4f", amount);
    }

    private static String instant(long epochSecond) {
        try {
            return Instant.ofEpochSecond(epochSecond).toString();
        } catch (DateTimeException e) {
            return String.valueOf(epochSecond);
        }
    }

    private static String row(String name, String value) {
        return String.format(Locale.ROOT, "  %-9s %s", name, value);
    }

    private static void addRow(List<String> lines, String name, List<String> parts) {
        if (!parts.isEmpty()) {
            lines.add(row(name, String.join(", ", parts)));
        }
    }

    private static void addCount(List<String> parts, Long count, String what) {
        if (count != null) {
            parts.add(count + " " + what);
        }
    }
}
