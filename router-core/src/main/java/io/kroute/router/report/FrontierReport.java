package io.kroute.router.report;

import io.kroute.router.multi.SelectionEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code report.html} of {@code ops/router eval --models}: single models, the curves' headline figures, the frontier. */
public final class FrontierReport {

    private FrontierReport() {}

    public static void write(
            Path file,
            String command,
            String benchmark,
            String protocol,
            int prompts,
            List<SelectionEvaluation.Single> singles,
            SelectionEvaluation.Single best,
            Map<String, List<SelectionEvaluation.Point>> curves,
            Path frontierSvg,
            double seconds)
            throws IOException {
        Map<String, String> facts = EvalReport.evalFacts(
                command,
                benchmark,
                protocol,
                Integer.toString(singles.size()),
                prompts + " (every model scored)",
                seconds);
        List<List<String>> models = new ArrayList<>();
        singles.stream()
                .sorted(Comparator.comparingDouble(SelectionEvaluation.Single::cost))
                .forEach(s -> models.add(List.of(
                        s.model(),
                        String.format(Locale.ROOT, "%.3f", s.quality()),
                        String.format(Locale.ROOT, "%.4f", 1000 * s.cost()))));
        List<List<String>> rows = new ArrayList<>();
        for (var e : curves.entrySet()) {
            SelectionEvaluation.Headline h = SelectionEvaluation.headline(e.getValue(), best);
            List<SelectionEvaluation.Point> hull = SelectionEvaluation.upperHull(e.getValue());
            rows.add(List.of(
                    e.getKey(),
                    Double.isNaN(h.costShareToMatchBestSingle())
                            ? "never"
                            : EvalReport.percent(h.costShareToMatchBestSingle()),
                    EvalReport.number(h.qualityAtBestSingleCost()),
                    EvalReport.number(SelectionEvaluation.qualityAt(hull, 0.5 * best.cost())),
                    EvalReport.number(SelectionEvaluation.qualityAt(hull, 0.1 * best.cost()))));
        }
        new HtmlReport("Many-model evaluation: " + benchmark + ", " + protocol)
                .facts(facts)
                .note("Held out: every prompt is scored by a predictor that did not train on it (" + protocol
                        + "); the predictor's penalty and rank were chosen inside its training data only.")
                .table("Single models (quality, USD per 1,000 calls)", List.of("model", "quality", "USD / 1k"), models)
                .paragraph(String.format(
                        Locale.ROOT,
                        "Best single model: %s, quality %.3f at %.4f USD per 1,000 calls.",
                        best.model(),
                        best.quality(),
                        1000 * best.cost()))
                .table(
                        "Against the best single model (curves read on their upper hull)",
                        List.of(
                                "curve",
                                "cost to match it",
                                "quality at its cost",
                                "at 50% of its cost",
                                "at 10% of its cost"),
                        rows)
                .svg("Quality against USD per 1,000 calls (log scale)", frontierSvg)
                .write(file);
    }
}
