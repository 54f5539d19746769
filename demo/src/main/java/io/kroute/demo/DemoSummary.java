package io.kroute.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kroute.schemas.Json;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's report. The JSON keys are a contract (ops scripts and the issue tracker read them): {@code prompts},
 * {@code responses}, {@code dead_letters}, {@code strong_calls}, {@code weak_calls}, {@code cost_usd},
 * {@code cost_all_strong_usd}, {@code quality}, {@code quality_all_strong}, {@code quality_all_weak},
 * {@code throughput_per_s}, {@code latency_p50_ms}, {@code latency_p99_ms}; the others are extras.
 */
@JsonPropertyOrder(alphabetic = false)
public record DemoSummary(
        int prompts,
        int malformedSent,
        int responses,
        int deadLetters,
        int unaccounted,
        int duplicates,
        int strongCalls,
        int weakCalls,
        int fallbacks,
        double costUsd,
        double costAllStrongUsd,
        double quality,
        double qualityAllStrong,
        double qualityAllWeak,
        double performanceGapRecovered,
        double throughputPerS,
        double latencyP50Ms,
        double latencyP99Ms,
        double wallSeconds,
        String router,
        String routerVersion,
        double threshold,
        String calibration,
        String benchmark,
        double strongPctTarget) {

    /**
     * Computes the report from what was sent and what came back.
     *
     * @param items the benchmark prompts sent, with their recorded correctness
     * @param malformedSent how many malformed records were sent besides
     * @param outcomes the outcome of each id, as the collector saw it
     * @param duplicates how many ids had more than one outcome
     * @param sendStartMillis when the first prompt was sent
     * @param createdAt the creation time of each request, for end-to-end latency
     * @param threshold the router's card threshold for the target share
     * @param calibration where the threshold in service came from: {@code card}, or a description of the traffic window
     */
    public static DemoSummary compute(
            List<DemoItem> items,
            int malformedSent,
            Map<String, Outcome> outcomes,
            int duplicates,
            long sendStartMillis,
            Map<String, Long> createdAt,
            String router,
            String routerVersion,
            double threshold,
            String calibration,
            String benchmark,
            double strongPctTarget) {
        int responses = 0;
        int strongCalls = 0;
        int fallbacks = 0;
        int answeredCorrect = 0;
        int strongCorrect = 0;
        int weakCorrect = 0;
        double cost = 0;
        double allStrong = 0;
        long lastObserved = sendStartMillis;
        int deadLetters = 0;
        for (Outcome outcome : outcomes.values()) {
            lastObserved = Math.max(lastObserved, outcome.observedAtMillis());
            if (!outcome.answered()) {
                deadLetters++;
            }
        }
        double[] latencies = new double[items.size()];
        int latencyCount = 0;
        for (DemoItem item : items) {
            allStrong += item.allStrongCostUsd();
            Outcome outcome = outcomes.get(item.id());
            if (outcome == null || !outcome.answered()) {
                continue;
            }
            responses++;
            boolean strong = outcome.response().tier() == Tier.STRONG;
            strongCalls += strong ? 1 : 0;
            fallbacks += outcome.response().status() == ResponseStatus.FALLBACK ? 1 : 0;
            boolean answeredByStrong = isStrongModel(outcome, strong);
            answeredCorrect += item.correctFor(answeredByStrong) ? 1 : 0;
            strongCorrect += item.strongCorrect() ? 1 : 0;
            weakCorrect += item.weakCorrect() ? 1 : 0;
            cost += outcome.response().costUsd();
            latencies[latencyCount++] = outcome.observedAtMillis() - createdAt.getOrDefault(item.id(), sendStartMillis);
        }
        double quality = ratio(answeredCorrect, responses);
        double qualityStrong = ratio(strongCorrect, responses);
        double qualityWeak = ratio(weakCorrect, responses);
        double gap = qualityStrong - qualityWeak;
        double wallSeconds = Math.max(1, lastObserved - sendStartMillis) / 1000.0;
        double[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        int unaccounted = items.size() + malformedSent - outcomes.size();
        return new DemoSummary(
                items.size(),
                malformedSent,
                responses,
                deadLetters,
                Math.max(0, unaccounted),
                duplicates,
                strongCalls,
                responses - strongCalls,
                fallbacks,
                cost,
                allStrong,
                quality,
                qualityStrong,
                qualityWeak,
                gap == 0 ? Double.NaN : (quality - qualityWeak) / gap,
                responses / wallSeconds,
                percentile(sorted, 50),
                percentile(sorted, 99),
                wallSeconds,
                router,
                routerVersion,
                threshold,
                calibration,
                benchmark,
                strongPctTarget);
    }

    /** The model of the answer, not the queue: a fallback answer comes from the other tier's model. */
    private static boolean isStrongModel(Outcome outcome, boolean fromStrongQueue) {
        boolean fallback = outcome.response().status() == ResponseStatus.FALLBACK;
        return fallback != fromStrongQueue;
    }

    static double percentile(double[] sorted, double pct) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(pct / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    /**
     * Whether the strong share is more than 10 points from the target: the router's threshold came from a sample
     * unlike these prompts (the stream warns too; see {@code kroute_router_strong_share}).
     */
    @com.fasterxml.jackson.annotation.JsonProperty("strong_share_off_target")
    public boolean strongShareOffTarget() {
        return responses > 0 && Math.abs(100.0 * strongCalls / responses - strongPctTarget) > 10;
    }

    public boolean allAccountedFor() {
        return unaccounted == 0;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    /** The report as a table for the terminal. */
    public String table() {
        StringBuilder out = new StringBuilder();
        row(
                out,
                "router",
                router + " " + routerVersion
                        + (calibration.equals("card")
                                ? " (threshold " + fmt(threshold, 4) + ")"
                                : " (threshold from " + calibration + ")"));
        row(out, "benchmark", benchmark + ", target strong share " + fmt(strongPctTarget, 1) + "%");
        row(out, "prompts sent", prompts + (malformedSent > 0 ? " + " + malformedSent + " malformed" : ""));
        row(out, "responses", Integer.toString(responses));
        row(out, "dead letters", Integer.toString(deadLetters));
        row(out, "unaccounted", Integer.toString(unaccounted));
        row(out, "duplicate outcomes", Integer.toString(duplicates));
        row(
                out,
                "strong calls",
                strongCalls + " (" + pct(strongCalls, responses) + ")"
                        + (strongShareOffTarget()
                                ? ", over 10 points off the " + fmt(strongPctTarget, 0) + "% target"
                                : ""));
        row(out, "weak calls", weakCalls + " (" + pct(weakCalls, responses) + ")");
        row(
                out,
                "cost",
                "$" + fmt(costUsd, 4) + " vs $" + fmt(costAllStrongUsd, 4) + " all-strong ("
                        + fmt(100 * costUsd / Math.max(1e-12, costAllStrongUsd), 1) + "%)");
        row(out, "quality (accuracy)", fmt(quality, 4));
        row(out, "quality all-strong", fmt(qualityAllStrong, 4));
        row(out, "quality all-weak", fmt(qualityAllWeak, 4));
        row(out, "gap recovered (PGR)", fmt(performanceGapRecovered, 3));
        row(out, "throughput", fmt(throughputPerS, 1) + " responses/s over " + fmt(wallSeconds, 1) + " s");
        row(out, "latency p50 / p99", fmt(latencyP50Ms, 0) + " ms / " + fmt(latencyP99Ms, 0) + " ms end to end");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "| %-20s | %-58s |%n", name, value));
    }

    private static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String pct(int part, int whole) {
        return whole == 0 ? "n/a" : fmt(100.0 * part / whole, 1) + "%";
    }
}
