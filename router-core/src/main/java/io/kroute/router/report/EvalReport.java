package io.kroute.router.report;

import io.kroute.router.eval.CurvePlot;
import io.kroute.router.eval.RoutingEvaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code report.html} of a two-model {@code ops/router eval}: the routers' table and their curve, beside report.json. */
public final class EvalReport {

    private EvalReport() {}

    /**
     * @param curveSvg the curve written by {@link CurvePlot} (its SVG)
     * @param heldOut how the numbers relate to the routers' training data, in words
     */
    public static void write(
            Path file,
            String command,
            String benchmark,
            String protocol,
            String strong,
            String weak,
            List<RoutingEvaluation.Result> results,
            Path curveSvg,
            String heldOut,
            double seconds)
            throws IOException {
        Map<String, String> facts = evalFacts(
                command,
                benchmark,
                protocol,
                strong + " (strong) vs " + weak + " (weak)",
                results.isEmpty() ? "0" : Integer.toString(results.get(0).prompts()),
                seconds);
        List<List<String>> rows = new ArrayList<>();
        for (RoutingEvaluation.Result r : results) {
            rows.add(List.of(
                    r.router(),
                    r.protocol(),
                    number(r.apgr()),
                    percent(r.cpt50()),
                    percent(r.cpt80()),
                    number(r.auc())));
        }
        new HtmlReport("Router evaluation: " + benchmark + ", " + protocol)
                .facts(facts)
                .note(heldOut)
                .table(
                        "RouteLLM's metrics (APGR: area under the performance gap recovered; CPT(x): the share of"
                                + " strong calls that recovers x of the gap)",
                        List.of("router", "trained on", "APGR", "CPT(50%)", "CPT(80%)", "AUC"),
                        rows)
                .svg("Quality against the share of strong-model calls", curveSvg)
                .write(file);
    }

    static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** What every eval report says first: the command, the data, the protocol, the models, the prompts, the time. */
    static Map<String, String> evalFacts(
            String command, String benchmark, String protocol, String models, String prompts, double seconds) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("command", "ops/router eval " + command);
        facts.put("benchmark", benchmark);
        facts.put("protocol", protocol);
        facts.put("models", models);
        facts.put("prompts", prompts);
        facts.put("took", String.format(Locale.ROOT, "%.0f s", seconds));
        return facts;
    }
}
