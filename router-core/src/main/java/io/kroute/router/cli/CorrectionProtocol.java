package io.kroute.router.cli;

import io.kroute.router.data.MultiModelData;
import io.kroute.router.multi.ModelColumns;
import io.kroute.router.multi.PredictorCorrection;
import io.kroute.router.multi.RidgeQuality;
import io.kroute.router.multi.SelectionEvaluation;
import io.kroute.router.multi.TrainedPredictor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code eval --models ... --protocol correct --serving PREDICTOR --train SPEC}: what the many-model learning loop
 * earns on traffic unlike the predictor's training data. The predictor is served as trained, then corrected
 * ({@link PredictorCorrection}, as the retrainer does) by golden labels of the training set's answers: every model
 * labelled on every prompt (an offline evaluation of the deployment), or one model a prompt, drawn at random (what an
 * exploring deployment's feedback gives). Beside them, heads trained on the same labels alone.
 */
final class CorrectionProtocol {

    static final String SERVED = "served as trained";
    static final String ALL = "corrected, all labelled";
    static final String ONE = "corrected, one label a prompt";
    static final String ALONE = "labels alone";

    /**
     * @param label the protocol, in words
     * @param predicted each curve's predicted quality of the test prompts [n][M], in the evaluated models' order
     * @param measures each curve's test squared error and choice quality, on the predictor's scale (report.json)
     */
    record Outcome(
            String label,
            Map<String, double[][]> predicted,
            List<Double> penalties,
            Map<String, Map<String, Double>> measures) {}

    private CorrectionProtocol() {}

    /** @param costs each model's expected cost of a prompt, as the selector sees it */
    static Outcome run(
            Args args,
            Workspace ws,
            MultiModelData test,
            MultiModelData train,
            List<String> models,
            io.kroute.router.multi.CostModel costs,
            long seed,
            PrintStream log) {
        try (TrainedPredictor serving = TrainedPredictor.load(args.required("serving"))) {
            List<String> names = args.has("serving-names")
                    ? Arrays.stream(args.get("serving-names", "").split(","))
                            .map(String::strip)
                            .toList()
                    : models;
            if (names.size() != models.size()) {
                throw new Args.UsageException("--serving-names gives the predictor's name of each of the "
                        + models.size() + " --models, in order; got " + names.size());
            }
            int[] column = new int[models.size()];
            for (int k = 0; k < models.size(); k++) {
                column[k] = serving.models().indexOf(names.get(k));
                if (column[k] < 0) {
                    throw new Args.UsageException("predictor " + serving.info().version() + " does not know model '"
                            + names.get(k) + "'; it knows " + serving.models());
                }
            }
            if (train.size() == 0) {
                throw new Args.UsageException("--train has no prompt outside the evaluated benchmark");
            }
            float[][] xTrain = vectors(ws, serving, train.prompts());
            float[][] xTest = vectors(ws, serving, test.prompts());
            RidgeQuality heads = serving.heads(xTrain[0].length);
            double[] range = serving.qualityRange();
            int all = serving.models().size();
            double[][] every = new double[train.size()][all];
            double[][] one = new double[train.size()][all];
            Random random = new Random(seed);
            for (int i = 0; i < train.size(); i++) {
                Arrays.fill(every[i], Double.NaN);
                Arrays.fill(one[i], Double.NaN);
                List<Integer> scored = new ArrayList<>();
                for (int k = 0; k < models.size(); k++) {
                    double q = train.quality()[i][k];
                    if (!Double.isNaN(q)) {
                        every[i][column[k]] = PredictorCorrection.onScale(q, range);
                        scored.add(k);
                    }
                }
                if (!scored.isEmpty()) {
                    int k = scored.get(random.nextInt(scored.size()));
                    one[i][column[k]] = every[i][column[k]];
                }
            }
            PredictorCorrection.Result fromAll = PredictorCorrection.fit(heads, xTrain, every, seed);
            PredictorCorrection.Result fromOne = PredictorCorrection.fit(heads, xTrain, one, seed);
            RidgeQuality alone = RidgeQuality.train(models, xTrain, train.quality(), Double.NaN, seed);
            log.printf(
                    "corrected %s: all labelled, penalty %.3g; one label a prompt, penalty %.3g, models %s%n",
                    serving.info().version(), fromAll.penalty(), fromOne.penalty(), fromOne.corrected());
            Map<String, double[][]> predicted = new LinkedHashMap<>();
            predicted.put(SERVED, ModelColumns.of(heads.predict(xTest), column));
            predicted.put(ONE, ModelColumns.of(fromOne.heads().predict(xTest), column));
            predicted.put(ALL, ModelColumns.of(fromAll.heads().predict(xTest), column));
            predicted.put(ALONE, alone.predict(xTest));
            // How well each predicts the test answers' quality, on the complete rows the curves are drawn on (the heads
            // trained on the labels alone predict on the labels' 0-1 scale, so they are put on the predictor's first).
            List<Integer> complete = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                if (Arrays.stream(test.quality()[i]).noneMatch(Double::isNaN)) {
                    complete.add(i);
                }
            }
            double[][] truth = complete.stream()
                    .map(i -> Arrays.stream(test.quality()[i])
                            .map(q -> PredictorCorrection.onScale(q, range))
                            .toArray())
                    .toArray(double[][]::new);
            double[][] expected = costs.expected(
                    complete.stream().mapToInt(i -> test.promptTokens()[i]).toArray());
            Map<String, Map<String, Double>> measures = new LinkedHashMap<>();
            for (var e : predicted.entrySet()) {
                double[][] rows = complete.stream()
                        .map(i -> e.getKey().equals(ALONE)
                                ? Arrays.stream(e.getValue()[i])
                                        .map(q -> PredictorCorrection.onScale(q, range))
                                        .toArray()
                                : e.getValue()[i])
                        .toArray(double[][]::new);
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("squared_error", PredictorCorrection.squaredError(rows, truth));
                m.put("choice_quality", SelectionEvaluation.choiceQuality(rows, expected, truth));
                measures.put(e.getKey(), m);
                log.printf(
                        Locale.ROOT,
                        "%s: test squared error %.2f, choice quality %.4f (the loop's promotion measure), on the"
                                + " predictor's scale%n",
                        e.getKey(),
                        m.get("squared_error"),
                        m.get("choice_quality"));
            }
            return new Outcome(
                    "correction of " + serving.info().version() + " by " + train.size() + " labelled prompts of "
                            + train.name(),
                    predicted,
                    List.of(fromAll.penalty(), fromOne.penalty(), alone.penalty()),
                    measures);
        }
    }

    /** From the workspace's cache when its encoder is the predictor's, else from the predictor's own. */
    private static float[][] vectors(Workspace ws, TrainedPredictor serving, List<String> prompts) {
        if (ws.encoder().id().equals(serving.encoderId())) {
            Map<String, float[]> v = ws.vectors(prompts);
            return prompts.stream().map(v::get).toArray(float[][]::new);
        }
        return serving.encode(prompts);
    }
}
