package io.kroute.retrain;

import io.kroute.router.ModelCard;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.multi.CostModel;
import io.kroute.router.multi.PredictorCorrection;
import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.RidgeQuality;
import io.kroute.router.multi.SelectionEvaluation;
import io.kroute.router.multi.Tokens;
import io.kroute.router.multi.TrainedPredictor;
import io.kroute.router.train.RouterTraining;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.RouterModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning loop of a many-model deployment: learns, from this deployment's labels, what the performance predictor
 * in service gets wrong, and publishes the corrected predictor when it chooses no worse on held-out requests.
 *
 * <p>A candidate is the predictor in service (its heads, read back from its graph) with {@link PredictorCorrection}:
 * for each model with enough labelled answers in training, a ridge correction of what it gets wrong; the others keep
 * their heads, so a model the selector rarely picks is not forgotten.
 *
 * <p>Promotion is judged on choices, not on how close the predicted quality is: on RouterBench, corrections fitted to
 * one label a request predicted the quality of answers better (squared error 19.1 to 15.2) and chose worse (quality
 * at half GPT-4-1106's cost 0.835 to 0.847 against 0.852; docs/routers.md). So the held-out requests that count are
 * those labelled for two or more models, on which both predictors sweep the trade-off among the labelled answers
 * (costed with the deployment's price table); a request labelled for its routed model only trains, but cannot decide.
 *
 * <p>Labels are put on the predictor's quality scale (its card's range, e.g. 1 to 10 for GPT-4 judge scores): a
 * rating r (0 to 1) as {@code min + r (max - min)}, a golden label as the top or the bottom of it. A preference names
 * a tier, which many models do not have: it is refused, as is a label of a model the predictor does not know.
 */
public final class PredictorRetrainer implements Learner {

    private static final Logger LOG = LoggerFactory.getLogger(PredictorRetrainer.class);
    private static final String FEEDBACK_SOURCE = "feedback labels";

    private final RetrainerSettings settings;
    private final Retrainer.Promoter promoter;
    private final LabelBook book;
    private final List<PredictorDecision> decisions = new CopyOnWriteArrayList<>();
    private final PromptVectors vectors;
    private final CostModel costs;
    private TrainedPredictor serving;
    private int round;

    /**
     * @param serving the predictor in service now; replaced in this retrainer's view by each one it promotes
     * @param costs each model's expected cost of a prompt ({@link #costs}), which selections are costed with
     */
    public PredictorRetrainer(
            RetrainerSettings settings, TrainedPredictor serving, CostModel costs, Retrainer.Promoter promoter) {
        this.settings = settings;
        this.round = CandidateRounds.last(settings.workDir());
        this.serving = serving;
        this.costs = costs;
        this.promoter = promoter;
        // by the predictor in service (read at each call: a promoted one replaces it; all read the same vectors)
        this.vectors = new PromptVectors(prompts -> this.serving.encode(prompts));
        this.book = LabelBook.forModels(
                Set.copyOf(serving.models()),
                settings.holdoutPercent(),
                settings.holdoutSalt(),
                settings.labelSources());
    }

    /**
     * The predictor's models' expected cost of a prompt: their prices and the answer lengths on its card.
     *
     * @throws IllegalArgumentException a model the table has no price for
     */
    public static CostModel costs(TrainedPredictor predictor, PriceTable prices) {
        return CostModel.fromPrices(predictor.models(), prices.forModels(predictor.models()), outputTokens(predictor));
    }

    /** Each model's mean answer length in tokens, from the card (which lists every model's, or does not load). */
    private static double[] outputTokens(TrainedPredictor predictor) {
        return predictor.models().stream()
                .mapToDouble(m -> predictor.expectedOutputTokens().get(m))
                .toArray();
    }

    @Override
    public synchronized Optional<PredictorDecision> accept(LabeledPrompt example) throws Exception {
        book.add(example);
        if (book.labelsSinceMark() >= settings.minNewLabels()) {
            return runRound();
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<PredictorDecision> runRound() throws Exception {
        List<ScoredAnswer> training = book.scored(false);
        List<String> models = serving.models();
        // Only a request labelled for two or more models shows whether a predictor chooses well.
        List<ScoredAnswer> heldOut =
                book.scored(true).stream().filter(a -> answers(a, models) >= 2).toList();
        boolean enough = models.stream()
                .anyMatch(m ->
                        training.stream().filter(a -> a.scores().containsKey(m)).count()
                                >= PredictorCorrection.MIN_ANSWERS_PER_MODEL);
        if (heldOut.size() < settings.minHeldOut() || !enough) {
            LOG.info(
                    "{} labels; waiting for {} held-out requests labelled for two or more models (have {}) and a"
                            + " model with {} labelled answers in training before a round",
                    book.labels(),
                    settings.minHeldOut(),
                    heldOut.size(),
                    PredictorCorrection.MIN_ANSWERS_PER_MODEL);
            book.mark(); // the next try comes after the next batch of labels, not on every one
            return Optional.empty();
        }
        book.mark();
        round++;
        float[][] x = encode(training);
        float[][] xHeld = encode(heldOut);
        RidgeQuality inService = serving.heads(x[0].length);
        PredictorCorrection.Result fit =
                PredictorCorrection.fit(inService, x, labels(training), settings.seed() + round);
        RidgeQuality candidate = fit.heads();
        List<String> corrected = fit.corrected();
        double penalty = fit.penalty();

        double[][] heldLabels = labels(heldOut);
        double[][] heldCosts = costs.expected(
                heldOut.stream().mapToInt(a -> Tokens.estimate(a.prompt())).toArray());
        double[][] candidatePredicted = candidate.predict(xHeld);
        double[][] servingPredicted = inService.predict(xHeld);
        double candidateSelection = SelectionEvaluation.choiceQuality(candidatePredicted, heldCosts, heldLabels);
        double servingSelection = SelectionEvaluation.choiceQuality(servingPredicted, heldCosts, heldLabels);
        double candidateError = PredictorCorrection.squaredError(candidatePredicted, heldLabels);
        double servingError = PredictorCorrection.squaredError(servingPredicted, heldLabels);
        boolean promoted = candidateSelection >= servingSelection;
        String trainingHash = RouterTraining.hashScored(training);
        String version = RidgeQuality.KIND + "-" + trainingHash.substring(0, 8) + "-"
                + Integer.toHexString(serving.info().version().hashCode() & 0xffff);
        Path dir = CandidateRounds.directory(settings.workDir(), round);
        save(dir, candidate, version, training, trainingHash, x, penalty);
        int heldOutAnswers = heldOut.stream().mapToInt(a -> answers(a, models)).sum();
        String reason = String.format(
                Locale.ROOT,
                "%s: held-out selection %.3f vs %.3f in service (mean quality over the cost range), squared error"
                        + " %.3f vs %.3f, on %d requests labelled for two or more models (%d answers); corrected %s",
                promoted ? "promoted, selects no worse" : "refused, selects worse",
                candidateSelection,
                servingSelection,
                candidateError,
                servingError,
                heldOut.size(),
                heldOutAnswers,
                corrected);
        PredictorDecision decision = new PredictorDecision(
                round,
                version,
                serving.info().version(),
                book.labels(),
                training.stream().mapToInt(a -> answers(a, models)).sum(),
                heldOutAnswers,
                corrected,
                penalty,
                candidateSelection,
                servingSelection,
                candidateError,
                servingError,
                promoted,
                reason,
                System.currentTimeMillis());
        if (promoted) {
            // Loaded before it is published: one this retrainer cannot load is never served anywhere.
            TrainedPredictor promotedPredictor = TrainedPredictor.load(dir);
            try {
                promoter.promote(RouterModel.of(
                        settings.channel(),
                        version,
                        RidgeQuality.KIND,
                        dir,
                        decision.decidedAt(),
                        reason,
                        RouterModel.INLINE_LIMIT_BYTES));
            } catch (Exception e) {
                promotedPredictor.close();
                throw e;
            }
            TrainedPredictor previous = serving;
            serving = promotedPredictor;
            previous.close();
        }
        decisions.add(decision);
        log(decision);
        return Optional.of(decision);
    }

    private static int answers(ScoredAnswer a, List<String> models) {
        return (int) a.scores().keySet().stream().filter(models::contains).count();
    }

    /** The labels on the predictor's scale, in its model order; NaN where a model was not labelled. */
    private double[][] labels(List<ScoredAnswer> rows) {
        List<String> models = serving.models();
        double[][] out = new double[rows.size()][models.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int m = 0; m < models.size(); m++) {
                Double label = rows.get(i).scores().get(models.get(m));
                out[i][m] = label == null ? Double.NaN : PredictorCorrection.onScale(label, serving.qualityRange());
            }
        }
        return out;
    }

    private void save(
            Path dir,
            RidgeQuality heads,
            String version,
            List<ScoredAnswer> training,
            String trainingHash,
            float[][] x,
            double penalty)
            throws IOException {
        // The base data of the predictor first corrected, then this round's labels (which include every earlier
        // round's): no label is counted twice.
        List<ModelCard.DataSource> sources = new ArrayList<>();
        if (serving.card().trainingData() != null) {
            serving.card().trainingData().stream()
                    .filter(d -> !d.name().startsWith(FEEDBACK_SOURCE))
                    .forEach(sources::add);
        }
        sources.add(new ModelCard.DataSource(
                FEEDBACK_SOURCE + ", round " + round,
                training.size(),
                trainingHash,
                "labels from this deployment's feedback topic"));
        TrainedPredictor.save(
                dir,
                heads,
                serving.encoderId(),
                outputTokens(serving),
                serving.qualityRange(),
                sources,
                version,
                training.stream().mapToInt(a -> Tokens.estimate(a.prompt())).toArray(),
                heads.predict(x),
                String.format(
                        Locale.ROOT,
                        "Predictor %s corrected by the retrainer from this deployment's feedback labels (round %d,"
                                + " ridge penalty %.3g chosen by 5-fold CV); held-out requests (by id) never trained"
                                + " on. Calibration sample: the labelled training prompts.",
                        serving.info().version(),
                        round,
                        penalty));
    }

    private float[][] encode(List<ScoredAnswer> rows) {
        return vectors.of(rows.stream().map(ScoredAnswer::prompt).toList());
    }

    private void log(PredictorDecision decision) throws IOException {
        LOG.info("round {}: candidate {} {}", decision.round(), decision.candidateVersion(), decision.reason());
        DecisionLog.append(settings.workDir(), decision);
    }

    public List<PredictorDecision> decisions() {
        return List.copyOf(decisions);
    }

    public synchronized TrainedPredictor serving() {
        return serving;
    }

    @Override
    public synchronized int labels() {
        return book.labels();
    }

    @Override
    public synchronized int refusedLabels() {
        return book.refused();
    }

    @Override
    public int rounds() {
        return decisions.size();
    }

    @Override
    public synchronized String servingVersion() {
        return serving.info().version();
    }

    @Override
    public int promotions() {
        return (int) decisions.stream().filter(PredictorDecision::promoted).count();
    }

    @Override
    public synchronized void close() {
        serving.close();
    }
}
