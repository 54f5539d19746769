package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.eval.CurvePlot;
import io.kroute.router.eval.FrontierPlot;
import io.kroute.router.eval.RoutingEvaluation;
import io.kroute.router.multi.SelectionEvaluation;
import io.kroute.router.report.EvalReport;
import io.kroute.router.report.FrontierReport;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every report.html kroute writes (eval, many-model eval, the demo, the many-model demo, the learning loop) rendered
 * by headless Chromium: the page loads, holds its tables and its inline SVG plot, and logs nothing to the console.
 * CI installs Debian's chromium and sets KROUTE_REQUIRE_BROWSER, so there the test cannot skip; elsewhere it runs
 * when a chromium is found (KROUTE_CHROMIUM, /usr/bin/chromium).
 */
class ReportsRenderTest {

    private static Path chromium;

    @BeforeAll
    static void findBrowser() {
        String configured = System.getenv("KROUTE_CHROMIUM");
        for (String candidate : new String[] {configured, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                chromium = Path.of(candidate);
                return;
            }
        }
        boolean required = System.getenv("KROUTE_REQUIRE_BROWSER") != null;
        assertThat(required)
                .as("KROUTE_REQUIRE_BROWSER is set but no chromium was found")
                .isFalse();
        Assumptions.abort("no chromium here (KROUTE_CHROMIUM, /usr/bin/chromium)");
    }

    @Test
    void the_eval_report(@TempDir Path dir) throws Exception {
        double[] strong = new double[60];
        double[] weak = new double[60];
        double[] scores = new double[60];
        Random random = new Random(1);
        for (int i = 0; i < 60; i++) {
            strong[i] = random.nextDouble() < 0.8 ? 1 : 0;
            weak[i] = random.nextDouble() < 0.5 ? 1 : 0;
            scores[i] = 0.3 * (strong[i] - weak[i]) + random.nextDouble();
        }
        List<RoutingEvaluation.Result> results = List.of(
                RoutingEvaluation.evaluate("mf", "5-fold CV", strong, weak, scores),
                RoutingEvaluation.random(strong, weak),
                RoutingEvaluation.optimal(strong, weak));
        CurvePlot.write(dir.resolve("curve.png"), "test", results);
        Path html = dir.resolve("report.html");
        EvalReport.write(
                html,
                "--benchmark gsm8k",
                "gsm8k",
                "5-fold CV",
                "s",
                "w",
                results,
                dir.resolve("curve.svg"),
                "Held out.",
                1);
        rendersWithTablesAndPlot(html, 1);
    }

    @Test
    void the_many_model_eval_report(@TempDir Path dir) throws Exception {
        double[][] quality = new double[40][3];
        double[][] cost = new double[40][3];
        Random random = new Random(2);
        for (int i = 0; i < 40; i++) {
            quality[i] = new double[] {8 + random.nextDouble(), 5 + 4 * random.nextDouble(), 3 * random.nextDouble()};
            cost[i] = new double[] {0.02, 0.002, 0.0002};
        }
        List<String> models = List.of("big", "mid", "small");
        List<SelectionEvaluation.Single> singles = SelectionEvaluation.singles(models, quality, cost);
        Map<String, List<SelectionEvaluation.Point>> curves = new LinkedHashMap<>();
        curves.put("quality-ridge", SelectionEvaluation.tradeOffCurve(quality, cost, quality, cost));
        curves.put("random mix", SelectionEvaluation.upperHull(SelectionEvaluation.points(singles)));
        FrontierPlot.write(dir.resolve("frontier.png"), "test", curves, singles);
        Path html = dir.resolve("report.html");
        FrontierReport.write(
                html,
                "--models all",
                "arena",
                "5-fold CV",
                40,
                singles,
                SelectionEvaluation.bestSingle(singles),
                curves,
                dir.resolve("frontier.svg"),
                1);
        rendersWithTablesAndPlot(html, 2);
    }

    @Test
    void the_demo_report(@TempDir Path dir) throws Exception {
        List<DemoItem> items = List.of(
                new DemoItem("a", true, true, 1.0),
                new DemoItem("b", true, false, 1.0),
                new DemoItem("c", false, false, 1.0));
        Map<String, Outcome> outcomes = new HashMap<>();
        outcomes.put("a", answer("a", Tier.WEAK, 0.001));
        outcomes.put("b", answer("b", Tier.STRONG, 0.01));
        outcomes.put("c", answer("c", Tier.WEAK, 0.001));
        DemoSummary summary =
                DemoSummary.compute(items, 0, outcomes, 0, 0, Map.of(), "ridge-knn", "v1", 0.5, "card", "gsm8k", 50);
        Path base = dir.resolve("cost-quality");
        CostQualityPlot.write(base, summary, 0.003);
        Path html = dir.resolve("report.html");
        DemoReport.write(html, DemoOptions.defaults(), summary, Path.of(base + ".svg"));
        rendersWithTablesAndPlot(html, 1);
    }

    @Test
    void the_many_model_demo_report(@TempDir Path dir) throws Exception {
        List<SelectionEvaluation.Single> singles = List.of(
                new SelectionEvaluation.Single("big", 0.02, 8.9), new SelectionEvaluation.Single("small", 0.001, 6.0));
        ManyModelSummary summary = new ManyModelSummary(
                10,
                9,
                10,
                0,
                0,
                0,
                "quality-ridge-x",
                "trade-off 90",
                List.of(
                        new ManyModelSummary.ModelRow("big", "big", 6, 0.12, 8.8, 0.18, 8.9),
                        new ManyModelSummary.ModelRow("small", "small", 4, 0.004, 6.5, 0.009, 6.0)),
                0.124,
                0.11,
                8.1,
                singles.get(0),
                7.9,
                9.5,
                singles);
        summary.plot(dir.resolve("cost-quality.png"));
        Path html = dir.resolve("report.html");
        summary.html(html, "ops/demo.sh --benchmark arena --models all", dir.resolve("cost-quality.svg"));
        rendersWithTablesAndPlot(html, 1);
    }

    @Test
    void the_learning_loop_report(@TempDir Path dir) throws Exception {
        double[] strong = {1, 1, 0, 1, 0, 1};
        double[] weak = {0, 1, 0, 0, 0, 1};
        List<RoutingEvaluation.Result> versions = List.of(
                RoutingEvaluation.evaluate("random", "held out", strong, weak, new double[] {.5, .2, .9, .1, .3, .7}),
                RoutingEvaluation.evaluate("mf-2", "held out", strong, weak, new double[] {.9, .2, .1, .8, .3, .4}));
        CurvePlot.write(dir.resolve("feedback.png"), "versions", versions);
        List<Map<String, Object>> waves = new ArrayList<>();
        waves.add(Map.of(
                "wave",
                1,
                "router_version",
                "random",
                "prompts",
                100,
                "quality",
                0.8,
                "pgr",
                0.5,
                "cost_usd",
                0.5,
                "cost_all_strong_usd",
                1.0));
        Path html = dir.resolve("feedback-report.html");
        FeedbackDemo.writeReport(html, "gsm8k", versions, waves, dir.resolve("feedback.svg"));
        rendersWithTablesAndPlot(html, 2);
    }

    private static Outcome answer(String id, Tier tier, double cost) {
        return new Outcome(
                new LlmResponse(id, "t", tier, "m", "x", "stop", 1, 1, cost, 5, 1, ResponseStatus.OK, "v", 0, 0),
                null,
                0);
    }

    /** Headless Chromium loads the file: its DOM has the tables and the SVG, and the console stays silent. */
    private static void rendersWithTablesAndPlot(Path html, int tables) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("kroute-chromium");
        Path dom = Files.createTempFile("dom", ".html");
        Path log = Files.createTempFile("chromium", ".log");
        Process p = new ProcessBuilder(
                        chromium.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--enable-logging=stderr",
                        "--v=0",
                        "--dump-dom",
                        html.toUri().toString())
                .redirectOutput(dom.toFile())
                .redirectError(log.toFile())
                .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit code").isZero();
        String rendered = Files.readString(dom, StandardCharsets.UTF_8);
        assertThat(rendered.split("<table", -1).length - 1)
                .as("tables in " + html)
                .isEqualTo(tables);
        assertThat(rendered).contains("<svg").contains("</svg>").contains("<h1>");
        List<String> console = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(":CONSOLE"))
                .toList();
        assertThat(console).as("console messages of " + html).isEmpty();
    }
}
