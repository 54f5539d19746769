package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.retrain.PromotionDecision;
import io.kroute.retrain.RetrainerApp;
import io.kroute.retrain.RetrainerConfig;
import io.kroute.retrain.RetrainerSettings;
import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.router.TrainedRouter;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.eval.CurvePlot;
import io.kroute.router.eval.RoutingEvaluation;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Json;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ops/demo.sh --feedback}: the learning loop end to end. The stream starts with the random router; prompts go
 * out in waves; as each wave is answered, golden labels (RouteLLM's recorded correctness of both models) are fed back
 * for a share of it; the retrainer trains a candidate after each wave and promotes it only if it is not worse on the
 * held-out requests; the stream picks up each promoted router without a restart, and the next wave is routed by it.
 * The report shows, version by version, APGR and the cost of reaching half the quality gap, on one held-out set.
 */
final class FeedbackDemo {

    /**
     * @param waves how many waves the prompts are sent in (a retraining round follows each)
     * @param labelPercent the share of answered requests that get golden labels
     * @param kind the router kind the retrainer trains
     */
    record Settings(int waves, int labelPercent, String kind) {}

    private static final int PARTITIONS = 4;
    private final DemoOptions options;
    private final Settings settings;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    FeedbackDemo(DemoOptions options, Settings settings) {
        this.options = options;
        this.settings = settings;
    }

    int run() throws Exception {
        ReplayDataset dataset = ReplayDataset.loadBundled();
        List<ReplayItem> all = new ArrayList<>(dataset.items(options.benchmark()));
        if (options.prompts() > all.size()) {
            throw new IllegalArgumentException("--prompts " + options.prompts() + " is more than the " + all.size()
                    + " prompts of " + options.benchmark());
        }
        Collections.shuffle(all, new Random(options.seed()));
        List<ReplayItem> items = all.subList(0, options.prompts());
        Map<String, ReplayItem> byId = new LinkedHashMap<>();
        for (ReplayItem item : items) {
            byId.put("fb-" + item.id(), item);
        }
        Path work = options.out().toAbsolutePath().getParent().resolve("feedback");
        Files.createDirectories(work);

        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.DEFAULT;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1);
            }
            log("broker ready at " + bootstrap + "; router v1 is the random baseline");
            Path workDir = work.resolve("retrainer-" + UUID.randomUUID());
            Map<String, String> learning = new HashMap<>();
            learning.put("kroute.retrainer.kind", settings.kind());
            // A bag of classifiers varies less from one round to the next than one network does.
            learning.put("kroute.retrainer.hyperparameters", settings.kind().equals("classifier") ? "ensemble=5" : "");
            // Rounds run when a wave's labels are in (runRoundNow), not on a label count.
            learning.put("kroute.retrainer.min-new-labels", Integer.toString(Integer.MAX_VALUE));
            learning.put("kroute.retrainer.min-held-out", "30");
            learning.put("kroute.retrainer.work-dir", workDir.toString());
            learning.put("kroute.retrainer.serving-router", "random");
            learning.put("kroute.strong-share", Double.toString(options.strongPct() / 100.0));
            RetrainerConfig retrainerConfig = Pipeline.retrainerConfig(bootstrap, topics, learning);
            RetrainerSettings retrain = retrainerConfig.settings();
            // The stream starts from the random router and follows the channel the retrainer publishes to.
            Map<String, String> routing = Map.of(
                    RouterStreamSettings.ROUTER, "random",
                    RouterStreamSettings.STRONG_SHARE, Double.toString(options.strongPct() / 100.0),
                    RouterStreamSettings.MODEL_CHANNEL, retrain.channel());
            List<WaveResult> waves = new ArrayList<>();
            try (Pipeline pipeline = Pipeline.start(
                            bootstrap,
                            topics,
                            dataset,
                            routing,
                            options.latencyMs(),
                            DemoFaults.none(),
                            options.seed());
                    RetrainerApp retrainer = RetrainerApp.start(retrainerConfig);
                    OutcomeCollector collector = new OutcomeCollector(bootstrap, topics);
                    GoldenLabeler labeler = new GoldenLabeler(bootstrap, topics, byId, settings.labelPercent());
                    PromptProducer producer =
                            new PromptProducer(bootstrap, topics.prompts().name())) {
                List<String> ids = new ArrayList<>(byId.keySet());
                int waveSize = (ids.size() + settings.waves() - 1) / settings.waves();
                int expectedLabelled = 0;
                for (int w = 0; w < settings.waves(); w++) {
                    List<String> wave = ids.subList(w * waveSize, Math.min(ids.size(), (w + 1) * waveSize));
                    String version = pipeline.stream().servedVersion();
                    long start = System.currentTimeMillis();
                    Map<String, Long> created = new HashMap<>();
                    for (String id : wave) {
                        producer.send(new PromptRequest(
                                id,
                                "demo",
                                List.of(ChatMessage.user(byId.get(id).prompt())),
                                DemoRun.MAX_TOKENS,
                                Map.of("benchmark", options.benchmark()),
                                null,
                                start));
                        created.put(id, start);
                    }
                    producer.flush();
                    Set<String> expected = new LinkedHashSet<>(wave);
                    List<String> missing = collector.awaitAll(
                            expected,
                            Duration.ofSeconds(options.timeoutSeconds()),
                            done -> progress(done, wave.size()));
                    err.println();
                    if (!missing.isEmpty()) {
                        log(missing.size() + " prompts of wave " + (w + 1) + " without an outcome; stopping");
                        return 1;
                    }
                    for (String id : wave) {
                        expectedLabelled += labeler.selected(id) ? 1 : 0;
                    }
                    awaitLabelled(labeler, expectedLabelled);
                    awaitJoined(retrainer, 2 * expectedLabelled);
                    waves.add(new WaveResult(
                            w + 1,
                            version,
                            wave.size(),
                            liveSummary(dataset, byId, wave, collector, created, start, version)));
                    if (w + 1 < settings.waves()) {
                        // The round this wave's labels complete.
                        int before = retrainer.decisions().size();
                        retrainer.runRoundNow();
                        PromotionDecision decision = retrainer.decisions().size() > before
                                ? retrainer
                                        .decisions()
                                        .get(retrainer.decisions().size() - 1)
                                : null;
                        if (decision == null) {
                            log("wave " + (w + 1) + ": not enough held-out labels for a round yet");
                        } else {
                            log("round " + decision.round() + ": " + decision.candidateVersion() + " "
                                    + decision.reason());
                            if (decision.promoted()) {
                                awaitServed(pipeline, decision.candidateVersion());
                            }
                        }
                    }
                }
                List<PromotionDecision> decisions = retrainer.decisions();
                List<ScoredAnswer> heldOut = retrainer.heldOut();
                report(waves, decisions, heldOut, retrain, work, dataset, items);
                return decisions.stream().filter(PromotionDecision::promoted).count() > 0 ? 0 : 1;
            }
        }
    }

    record WaveResult(int wave, String routerVersion, int prompts, DemoSummary summary) {}

    private DemoSummary liveSummary(
            ReplayDataset dataset,
            Map<String, ReplayItem> byId,
            List<String> wave,
            OutcomeCollector collector,
            Map<String, Long> created,
            long start,
            String version) {
        List<DemoItem> demoItems = new ArrayList<>();
        ReplayCosts costs = new ReplayCosts(dataset);
        for (String id : wave) {
            ReplayItem item = byId.get(id);
            demoItems.add(new DemoItem(
                    id,
                    item.answer(ReplayDataset.STRONG_MODEL).orElseThrow().correct(),
                    item.answer(ReplayDataset.WEAK_MODEL).orElseThrow().correct(),
                    costs.costUsd(ReplayDataset.STRONG_MODEL, item)));
        }
        Map<String, Outcome> outcomes = new HashMap<>();
        collector.outcomes().forEach((id, o) -> {
            if (created.containsKey(id)) {
                outcomes.put(id, o);
            }
        });
        return DemoSummary.compute(
                demoItems,
                0,
                outcomes,
                0,
                start,
                created,
                "live",
                version,
                Double.NaN,
                "card",
                options.benchmark(),
                options.strongPct());
    }

    /** Every version on the final held-out set, so that they are compared on the same prompts. */
    private void report(
            List<WaveResult> waves,
            List<PromotionDecision> decisions,
            List<ScoredAnswer> heldOut,
            RetrainerSettings retrain,
            Path work,
            ReplayDataset dataset,
            List<ReplayItem> items)
            throws Exception {
        String strong = ReplayDataset.STRONG_MODEL;
        String weak = ReplayDataset.WEAK_MODEL;
        List<String> prompts = heldOut.stream().map(ScoredAnswer::prompt).toList();
        ReplayCosts costs = new ReplayCosts(dataset);
        double strongCost = 0;
        double weakCost = 0;
        for (ReplayItem item : items) {
            strongCost += costs.costUsd(strong, item);
            weakCost += costs.costUsd(weak, item);
        }
        double weakOverStrong = weakCost / strongCost;

        List<RoutingEvaluation.Result> curves = new ArrayList<>();
        List<Map<String, Object>> versions = new ArrayList<>();
        try (Router random = new RandomRouter(0)) {
            curves.add(RoutingEvaluation.evaluate(
                    "v1 random", "held-out", heldOut, strong, weak, random.scoreBatch(prompts)));
        }
        int v = 1;
        for (PromotionDecision decision : decisions) {
            if (!decision.promoted()) {
                continue;
            }
            v++;
            Path dir = retrain.workDir().resolve("candidates").resolve("round-" + decision.round());
            try (Router router = TrainedRouter.load(dir)) {
                curves.add(RoutingEvaluation.evaluate(
                        "v" + v + " " + decision.candidateVersion(),
                        "held-out",
                        heldOut,
                        strong,
                        weak,
                        router.scoreBatch(prompts)));
            }
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "Learning loop: %s, %d prompts in %d waves, golden labels for %d%% of requests, "
                        + "retrainer kind %s%n",
                options.benchmark(),
                options.prompts(),
                settings.waves(),
                settings.labelPercent(),
                settings.kind());
        out.println();
        out.println("| round | candidate | labels | train | held-out | cand. APGR | serving APGR | promoted |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (PromotionDecision d : decisions) {
            out.printf(
                    Locale.ROOT,
                    "| %d | %s | %d | %d | %d | %.3f | %.3f | %s |%n",
                    d.round(),
                    d.candidateVersion(),
                    d.labels(),
                    d.trainingExamples(),
                    d.heldOutExamples(),
                    d.candidateApgr(),
                    d.servingApgr(),
                    d.promoted() ? "yes" : "no");
        }
        out.println();
        out.printf(
                "Every version on the same final held-out set (%d prompts; cost at equal quality = cost of "
                        + "reaching 50%% of the strong-weak quality gap, %% of all-strong):%n",
                heldOut.size());
        out.println();
        out.println("| version | APGR | CPT(50%) | cost at 50% gap recovered | CPT(80%) |");
        out.println("|---|---|---|---|---|");
        for (RoutingEvaluation.Result r : curves) {
            double cost = r.cpt50() + (1 - r.cpt50()) * weakOverStrong;
            out.printf(
                    Locale.ROOT,
                    "| %s | %.3f | %.1f%% | %.1f%% | %.1f%% |%n",
                    r.router(),
                    r.apgr(),
                    100 * r.cpt50(),
                    100 * cost,
                    100 * r.cpt80());
            versions.add(Map.of(
                    "version",
                    r.router(),
                    "apgr",
                    r.apgr(),
                    "cpt50",
                    r.cpt50(),
                    "cpt80",
                    r.cpt80(),
                    "cost_at_50pct_gap_vs_all_strong",
                    cost));
        }
        out.println();
        out.println("Live traffic, wave by wave (quality from recorded correctness):");
        out.println();
        out.println("| wave | routed by | prompts | strong share | quality | PGR | cost vs all-strong |");
        out.println("|---|---|---|---|---|---|---|");
        List<Map<String, Object>> waveRows = new ArrayList<>();
        for (WaveResult w : waves) {
            DemoSummary s = w.summary();
            out.printf(
                    Locale.ROOT,
                    "| %d | %s | %d | %.1f%% | %.3f | %.3f | %.1f%% |%n",
                    w.wave(),
                    w.routerVersion(),
                    w.prompts(),
                    100.0 * s.strongCalls() / Math.max(1, s.responses()),
                    s.quality(),
                    s.performanceGapRecovered(),
                    100 * s.costUsd() / s.costAllStrongUsd());
            waveRows.add(Map.of(
                    "wave",
                    w.wave(),
                    "router_version",
                    w.routerVersion(),
                    "prompts",
                    w.prompts(),
                    "quality",
                    s.quality(),
                    "pgr",
                    s.performanceGapRecovered(),
                    "cost_usd",
                    s.costUsd(),
                    "cost_all_strong_usd",
                    s.costAllStrongUsd()));
        }
        Path png = options.out().toAbsolutePath().getParent().resolve("feedback.png");
        CurvePlot.write(png, "Router versions on the held-out set (" + options.benchmark() + ")", curves);
        Path json = options.out().toAbsolutePath().getParent().resolve("feedback-summary.json");
        Json.MAPPER
                .writerWithDefaultPrettyPrinter()
                .writeValue(json.toFile(), Map.of("decisions", decisions, "versions", versions, "waves", waveRows));
        Path html = options.out().toAbsolutePath().getParent().resolve("feedback-report.html");
        writeReport(html, options.benchmark(), curves, waveRows, CurvePlot.svgBeside(png));
        out.println();
        out.println("plot: " + png + ", report: " + html + ", summary: " + json + ", decision log: "
                + retrain.workDir().resolve("decisions.jsonl"));
    }

    private static void awaitLabelled(GoldenLabeler labeler, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (labeler.labelled() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void awaitJoined(RetrainerApp retrainer, int labels) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (retrainer.labels() < labels && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void awaitServed(Pipeline pipeline, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!version.equals(pipeline.stream().servedVersion()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void progress(int done, int total) {
        err.printf(Locale.ROOT, "\r[demo] %d/%d outcomes   ", done, total);
        err.flush();
    }

    private void log(String message) {
        err.println("[demo] " + message);
    }

    /** {@code feedback-report.html}: each router version on the held-out set, the waves of live traffic, the plot. */
    static void writeReport(
            Path file,
            String benchmark,
            List<io.kroute.router.eval.RoutingEvaluation.Result> versions,
            List<Map<String, Object>> waves,
            Path svg)
            throws java.io.IOException {
        List<List<String>> versionRows = new ArrayList<>();
        for (var r : versions) {
            versionRows.add(List.of(
                    r.router(),
                    String.format(Locale.ROOT, "%.3f", r.apgr()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * r.cpt50()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * r.cpt80())));
        }
        List<List<String>> waveRows = new ArrayList<>();
        for (Map<String, Object> w : waves) {
            waveRows.add(List.of(
                    String.valueOf(w.get("wave")),
                    String.valueOf(w.get("router_version")),
                    String.valueOf(w.get("prompts")),
                    String.format(Locale.ROOT, "%.3f", ((Number) w.get("quality")).doubleValue()),
                    String.format(Locale.ROOT, "%.3f", ((Number) w.get("pgr")).doubleValue()),
                    String.format(
                            Locale.ROOT,
                            "%.1f%%",
                            100
                                    * ((Number) w.get("cost_usd")).doubleValue()
                                    / ((Number) w.get("cost_all_strong_usd")).doubleValue())));
        }
        new io.kroute.router.report.HtmlReport("kroute learning loop: " + benchmark)
                .facts(Map.of("benchmark", benchmark, "command", "ops/demo.sh --feedback"))
                .note("Held out: every version is evaluated on prompts no version was trained on; each wave's live"
                        + " traffic is labelled after it is routed, and only then trains the next version.")
                .table(
                        "Router versions on the held-out set",
                        List.of("version", "APGR", "CPT(50%)", "CPT(80%)"),
                        versionRows)
                .table(
                        "Live traffic, wave by wave",
                        List.of("wave", "routed by", "prompts", "quality", "PGR", "cost vs all-strong"),
                        waveRows)
                .svg("Quality against the share of strong calls, one line per version", svg)
                .write(file);
    }
}
