package io.kroute.router.cli;

import io.kroute.router.ModelCard;
import io.kroute.router.data.MultiModelData;
import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.RidgeQuality;
import io.kroute.router.multi.TrainedPredictor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code train --kind quality-ridge --data arena [--models all]}: a performance predictor for N models, saved as a
 * router directory (heads as ONNX, the card listing the models and their answer lengths, the calibration sample).
 */
final class TrainPredictorCommand {

    private TrainPredictorCommand() {}

    static int run(Args args, PrintStream out, PrintStream log) throws Exception {
        String dataSpec = args.required("data");
        Path outDir = Path.of(args.required("out"));
        long seed = (long) args.number("seed", 42, 0, Long.MAX_VALUE);
        double penalty = args.has("penalty") ? args.number("penalty", 1, 1e-6, 1e9) : Double.NaN;
        PriceTable prices = PriceTable.load(args.get("prices", PriceTable.ARENA_2023));
        try (Workspace ws = new Workspace(args, log, "minilm")) {
            if (!MultiModelData.NAMES.contains(dataSpec)) {
                throw new Args.UsageException(
                        "a predictor trains on data scored for many models: " + MultiModelData.NAMES);
            }
            if (Workspace.LICENCES.getOrDefault(dataSpec, "").contains("never ship")
                    || dataSpec.startsWith("routerbench")) {
                log.println("note: " + dataSpec + " is for local evaluation only; do not ship this predictor");
            }
            MultiModelData data = MultiModelData.load(ws.dataRoot, dataSpec, prices);
            boolean demoHoldout = Boolean.parseBoolean(args.get("demo-holdout", "false"));
            int before = data.size();
            if (demoHoldout) {
                if (!dataSpec.equals("arena")) {
                    throw new Args.UsageException(
                            "--demo-holdout leaves out the many-model demo's Arena prompts: --data arena");
                }
                List<Integer> keep = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    if (!io.kroute.router.data.DemoHoldout.reserved(
                            io.kroute.router.data.DemoHoldout.MANY_MODELS,
                            data.prompts().get(i))) {
                        keep.add(i);
                    }
                }
                data = data.rows(keep.stream().mapToInt(Integer::intValue).toArray());
            }
            List<String> models = ManyModelEvalCommand.models(args.get("models", "all"), data.models());
            data = data.withModels(models);
            log.printf("encoding %d prompts (cached vectors are reused)%n", data.size());
            Map<String, float[]> vectors = ws.vectors(data.prompts());
            float[][] x = data.prompts().stream().map(vectors::get).toArray(float[][]::new);
            RidgeQuality heads = RidgeQuality.train(models, x, data.quality(), penalty, seed);
            double[] range = range(data.quality());
            String hash = io.kroute.router.train.RouterTraining.hashScored(scored(data));
            List<ModelCard.DataSource> sources = List.of(new ModelCard.DataSource(
                    dataSpec, data.size(), hash, Workspace.LICENCES.getOrDefault(dataSpec, "see PROVENANCE.md")));
            String version = RidgeQuality.KIND + "-" + hash.substring(0, 12);
            ModelCard card = TrainedPredictor.save(
                    outDir,
                    heads,
                    ws.encoder().id(),
                    data.meanOutputTokens(),
                    range,
                    sources,
                    version,
                    data.promptTokens(),
                    heads.predict(x),
                    "Performance predictor for " + models.size() + " models, trained on " + dataSpec
                            + " (ridge penalty " + heads.penalty() + ", chosen by 5-fold CV on these prompts)."
                            + " Its prompts are IN-SAMPLE; evaluate it with ops/router eval --models on other data."
                            + (demoHoldout
                                    ? " The " + (before - data.size()) + " Arena prompts the many-model demo replays ("
                                            + io.kroute.router.data.DemoHoldout.percent(
                                                    io.kroute.router.data.DemoHoldout.MANY_MODELS)
                                            + "%, DemoHoldout) were left out, so the demo's numbers are out of sample."
                                    : ""));
            out.printf(
                    "wrote %s predictor %s for %d models to %s (penalty %.3g)%n",
                    card.kind(), card.version(), models.size(), outDir, heads.penalty());
        }
        return 0;
    }

    private static double[] range(double[][] quality) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : quality) {
            for (double q : row) {
                if (!Double.isNaN(q)) {
                    lo = Math.min(lo, q);
                    hi = Math.max(hi, q);
                }
            }
        }
        return new double[] {lo, hi};
    }

    private static List<io.kroute.router.data.ScoredAnswer> scored(MultiModelData data) {
        List<io.kroute.router.data.ScoredAnswer> out = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Map<String, Double> s = new java.util.TreeMap<>();
            for (int m = 0; m < data.models().size(); m++) {
                if (!Double.isNaN(data.quality()[i][m])) {
                    s.put(data.models().get(m), data.quality()[i][m]);
                }
            }
            out.add(new io.kroute.router.data.ScoredAnswer(
                    data.ids().get(i), data.prompts().get(i), s));
        }
        return out;
    }
}
