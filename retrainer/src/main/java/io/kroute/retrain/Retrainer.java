package io.kroute.retrain;

import io.kroute.router.ModelCard;
import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.router.TrainedRouter;
import io.kroute.router.data.Battle;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.router.eval.RoutingEvaluation;
import io.kroute.router.train.BattleSet;
import io.kroute.router.train.RouterTraining;
import io.kroute.router.train.TrainedHead;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.RouterModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns from the labels: when enough new ones have arrived, trains a candidate router on the labelled prompts (plus
 * any base data), evaluates it against the router in service on held-out prompts, calibrates its threshold, and
 * promotes it only if it is not worse. Every decision, promoted or not, is logged with its numbers.
 */
public final class Retrainer implements Learner {

    /** Where promoted routers go; a test or a dry run can keep them. */
    public interface Promoter {
        void promote(RouterModel model) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

    private final RetrainerSettings settings;
    private final PromptEncoder encoder;
    private final Promoter promoter;
    private final List<ScoredAnswer> base;
    private final LabelBook book;
    private final List<PromotionDecision> decisions = new CopyOnWriteArrayList<>();
    private final PromptVectors vectors;
    private Router serving;
    private int round;

    /**
     * @param serving the router in service now (e.g. the random baseline); replaced in this retrainer's view by each
     *     router it promotes
     * @param base scored answers every candidate also trains on (may be empty)
     */
    public Retrainer(
            RetrainerSettings settings,
            PromptEncoder encoder,
            Router serving,
            List<ScoredAnswer> base,
            Promoter promoter) {
        this.settings = settings;
        this.round = CandidateRounds.last(settings.workDir());
        this.encoder = encoder;
        this.serving = serving;
        this.base = List.copyOf(base);
        this.promoter = promoter;
        this.vectors = new PromptVectors(encoder::encode);
        this.book = new LabelBook(
                settings.strongModel(),
                settings.weakModel(),
                settings.holdoutPercent(),
                settings.holdoutSalt(),
                settings.labelSources());
    }

    /** Takes one label; runs a round when enough new labels have arrived. */
    @Override
    public synchronized Optional<PromotionDecision> accept(LabeledPrompt example) throws Exception {
        book.add(example);
        if (book.labelsSinceMark() >= settings.minNewLabels()) {
            return runRound();
        }
        return Optional.empty();
    }

    /** Trains, evaluates and decides now, if the held-out slice is large enough. */
    @Override
    public synchronized Optional<PromotionDecision> runRound() throws Exception {
        List<ScoredAnswer> heldOut = book.heldOut();
        List<ScoredAnswer> training = new ArrayList<>(base);
        training.addAll(book.training());
        if (heldOut.size() < settings.minHeldOut() || training.isEmpty()) {
            LOG.info(
                    "{} labels; waiting for {} held-out prompts (have {}) before a round",
                    book.labels(),
                    settings.minHeldOut(),
                    heldOut.size());
            return Optional.empty();
        }
        book.mark();
        round++;
        String strong = settings.strongModel();
        String weak = settings.weakModel();

        List<Battle> battles = TrainingData.battles(training);
        List<String> prompts = new ArrayList<>(
                new LinkedHashSet<>(battles.stream().map(Battle::prompt).toList()));
        List<String> heldOutPrompts = heldOut.stream().map(ScoredAnswer::prompt).toList();
        float[][] trainingVectors = vectors.of(prompts);
        float[][] heldOutVectors = vectors.of(heldOutPrompts);
        BattleSet set = BattleSet.of(battles, vectors.all());
        TrainedHead head = RouterTraining.train(
                settings.kind(),
                set,
                strong,
                weak,
                settings.seed() + round,
                RouterTraining.parseOverrides(settings.hyperparameters()),
                m -> LOG.debug("round {}: {}", round, m));

        // Calibrated on the prompts of the traffic it learned from: the share of strong calls it will produce there.
        double[] calibration = head.score(prompts, trainingVectors, strong, weak);
        Path dir = CandidateRounds.directory(settings.workDir(), round);
        ModelCard card = RouterTraining.save(
                dir,
                head,
                encoder.id(),
                strong,
                weak,
                List.of(new ModelCard.DataSource(
                        "feedback labels, round " + round,
                        training.size(),
                        RouterTraining.hashScored(training),
                        "labels from this deployment's feedback topic")),
                "labelled traffic (" + prompts.size() + " prompts)",
                calibration,
                "Trained by the retrainer from feedback labels; held-out requests (by id) never trained on.");

        double[] candidateScores = head.score(heldOutPrompts, heldOutVectors, strong, weak);
        RoutingEvaluation.Result candidate =
                RoutingEvaluation.evaluate(card.version(), "held-out", heldOut, strong, weak, candidateScores);
        RoutingEvaluation.Result current = evaluateServing(heldOut);
        boolean promoted = candidate.apgr() >= current.apgr();
        double threshold = io.kroute.router.ThresholdCalibrator.threshold(
                card.calibration().quantiles(), settings.strongShare());
        String reason = String.format(
                Locale.ROOT,
                "%s: held-out APGR %.3f vs %.3f in service (CPT(50%%) %.1f%% vs %.1f%%) on %d prompts",
                promoted ? "promoted, not worse" : "refused, worse",
                candidate.apgr(),
                current.apgr(),
                100 * candidate.cpt50(),
                100 * current.cpt50(),
                heldOut.size());
        PromotionDecision decision = new PromotionDecision(
                round,
                card.version(),
                serving.info().version(),
                book.labels(),
                training.size(),
                heldOut.size(),
                candidate.apgr(),
                current.apgr(),
                candidate.cpt50(),
                current.cpt50(),
                threshold,
                promoted,
                reason,
                System.currentTimeMillis());
        if (promoted) {
            // A ridge-knn router carries its training vectors: past ~10 MiB it travels by location, not inline.
            promoter.promote(RouterModel.of(
                    settings.channel(),
                    card.version(),
                    card.kind(),
                    dir,
                    decision.decidedAt(),
                    reason,
                    RouterModel.INLINE_LIMIT_BYTES));
            Router previous = serving;
            serving = TrainedRouter.load(dir);
            previous.close();
        }
        decisions.add(decision);
        log(decision);
        return Optional.of(decision);
    }

    /**
     * The router in service on the held-out prompts. The random baseline is taken at its expected curve (APGR 0.5 by
     * construction): one draw of it on a few hundred prompts can land far from 0.5 either way, and a lucky draw would
     * refuse a router that is really better.
     */
    private RoutingEvaluation.Result evaluateServing(List<ScoredAnswer> heldOut) {
        String strong = settings.strongModel();
        String weak = settings.weakModel();
        if (serving instanceof RandomRouter) {
            double[] s =
                    heldOut.stream().mapToDouble(a -> a.scores().get(strong)).toArray();
            double[] w = heldOut.stream().mapToDouble(a -> a.scores().get(weak)).toArray();
            return RoutingEvaluation.random(s, w);
        }
        double[] scores =
                serving.scoreBatch(heldOut.stream().map(ScoredAnswer::prompt).toList());
        return RoutingEvaluation.evaluate(serving.info().version(), "held-out", heldOut, strong, weak, scores);
    }

    private void log(PromotionDecision decision) throws IOException {
        LOG.info("round {}: candidate {} {}", decision.round(), decision.candidateVersion(), decision.reason());
        DecisionLog.append(settings.workDir(), decision);
    }

    public List<PromotionDecision> decisions() {
        return List.copyOf(decisions);
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
        return (int) decisions.stream().filter(PromotionDecision::promoted).count();
    }

    /** Labels refused: a source that does not count, or a repeat for the same request, source and model. */
    @Override
    public synchronized int refusedLabels() {
        return book.refused();
    }

    @Override
    public synchronized int labels() {
        return book.labels();
    }

    /** The held-out prompts with both models scored so far: the slice every decision is made on. */
    public synchronized List<ScoredAnswer> heldOut() {
        return book.heldOut();
    }

    public synchronized Router serving() {
        return serving;
    }

    @Override
    public void close() {
        serving.close();
    }
}
