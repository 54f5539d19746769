package io.kroute.demo;

import io.kroute.router.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's {@code report.html}: what was run, whether its prompts were out of sample, the numbers and the plot. */
final class DemoReport {

    private DemoReport() {}

    static void write(Path file, DemoOptions options, DemoSummary s, Path costQualitySvg) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("benchmark", s.benchmark() + ", " + s.prompts() + " prompts (+ " + s.malformedSent() + " malformed)");
        facts.put("router", s.router() + " " + s.routerVersion());
        facts.put("target strong share", String.format(Locale.ROOT, "%.0f%%", s.strongPctTarget()));
        facts.put("threshold from", s.calibration());
        facts.put("seed", Long.toString(options.seed()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("responses / dead letters", s.responses() + " / " + s.deadLetters()));
        rows.add(row("unaccounted / duplicates", s.unaccounted() + " / " + s.duplicates()));
        rows.add(row(
                "strong / weak calls",
                s.strongCalls() + " / " + s.weakCalls()
                        + String.format(
                                Locale.ROOT,
                                " (%.1f%% strong)",
                                100.0 * s.strongCalls() / Math.max(1, s.responses()))));
        rows.add(row("fallbacks", Integer.toString(s.fallbacks())));
        rows.add(row(
                "cost",
                String.format(
                        Locale.ROOT,
                        "%.4f USD (all-strong %.4f USD: %.1f%%)",
                        s.costUsd(),
                        s.costAllStrongUsd(),
                        100 * s.costUsd() / s.costAllStrongUsd())));
        rows.add(row(
                "quality",
                String.format(
                        Locale.ROOT,
                        "%.3f (all-strong %.3f, all-weak %.3f)",
                        s.quality(),
                        s.qualityAllStrong(),
                        s.qualityAllWeak())));
        rows.add(row("performance gap recovered", String.format(Locale.ROOT, "%.3f", s.performanceGapRecovered())));
        rows.add(row(
                "throughput, latency p50 / p99",
                String.format(
                        Locale.ROOT,
                        "%.1f prompts/s, %.0f / %.0f ms",
                        s.throughputPerS(),
                        s.latencyP50Ms(),
                        s.latencyP99Ms())));
        new HtmlReport("kroute demo: " + s.benchmark() + " through the pipeline")
                .facts(facts)
                .note(heldOut(options.router()))
                .table("The run", List.of("", "value"), rows)
                .svg("This run's cost and quality beside all-weak, all-strong and their random mixes", costQualitySvg)
                .write(file);
    }

    /** Whether the demo's prompts were in the router's training data, in words ({@code --router} as given). */
    static String heldOut(String router) {
        if (router.equals("random") || router.startsWith("random:")) {
            return "The random router learned nothing: its numbers are the baseline.";
        }
        if (router.equals("default")) {
            return "Out of sample: the shipped default was trained without the prompts the demo replays (DemoHoldout).";
        }
        return "Router " + router + ": out of sample only if it was trained without the demo's prompts (the shipped"
                + " default was; mf, static-mf and classifier saw every prompt, so with them the numbers are in-sample).";
    }

    private static List<String> row(String name, String value) {
        return List.of(name, value);
    }
}
