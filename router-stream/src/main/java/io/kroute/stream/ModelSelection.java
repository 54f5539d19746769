package io.kroute.stream;

import io.kroute.router.RouterInfo;
import io.kroute.router.multi.CostAwareSelector;
import io.kroute.router.multi.CostModel;
import io.kroute.router.multi.ModelColumns;
import io.kroute.router.multi.ModelPrice;
import io.kroute.router.multi.QualityPredictor;
import io.kroute.router.multi.Tokens;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Routoo in the stream: the performance predictor's qualities for the configured models, their expected costs (the
 * configured prices on the prompt's estimated tokens and the model's learned answer length), and the cost-aware
 * selector's choice, as a routing decision naming the model's queue. A trade-off given as a target average cost is
 * calibrated once at start on the predictor's calibration sample with the configured prices.
 */
public final class ModelSelection implements AutoCloseable {

    private final QualityPredictor predictor;
    private final List<ModelQueue> queues;
    private final int[] column;
    private final CostModel costs;
    private final CostAwareSelector selector;
    private final int strongest;
    private final int cheapest;
    private final double[] range;
    private final double[][] sampleQuality;
    private final double[][] sampleCost;
    /** A batch job's strong share, as the trade-off that gives it on the calibration sample, by share. */
    private final java.util.concurrent.ConcurrentMap<Double, CostAwareSelector> byShare =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ModelSelection(
            QualityPredictor predictor,
            List<ModelQueue> queues,
            int[] column,
            CostModel costs,
            CostAwareSelector selector,
            int strongest,
            int cheapest,
            double[][] sampleQuality,
            double[][] sampleCost) {
        this.sampleQuality = sampleQuality;
        this.sampleCost = sampleCost;
        this.predictor = predictor;
        this.queues = queues;
        this.column = column;
        this.costs = costs;
        this.selector = selector;
        this.strongest = strongest;
        this.cheapest = cheapest;
        this.range = predictor.qualityRange();
    }

    /**
     * @throws IllegalArgumentException a configured model the predictor does not know, or without an answer length
     */
    public static ModelSelection of(QualityPredictor predictor, ManyModelSettings settings) {
        List<ModelQueue> queues = settings.queues();
        int[] column = new int[queues.size()];
        double[] out = new double[queues.size()];
        List<ModelPrice> prices = new ArrayList<>();
        Map<String, Double> lengths = predictor.expectedOutputTokens();
        for (int i = 0; i < column.length; i++) {
            ModelQueue q = queues.get(i);
            column[i] = predictor.models().indexOf(q.model());
            if (column[i] < 0) {
                throw new IllegalArgumentException(
                        "the router " + predictor.info().version() + " does not know model '" + q.model()
                                + "' (kroute.model." + q.queue() + ".name); it knows " + predictor.models());
            }
            Double length = lengths.get(q.model());
            if (length == null || !(length >= 0)) {
                throw new IllegalArgumentException(
                        "the router " + predictor.info().version() + " has no answer length for " + q.model());
            }
            out[i] = length;
            prices.add(q.price());
        }
        CostModel costs =
                CostModel.fromPrices(queues.stream().map(ModelQueue::model).toList(), prices, out);
        QualityPredictor.CalibrationSample sample = predictor.calibrationSample();
        double[][] sampleQuality = ModelColumns.of(sample.quality(), column);
        double[][] sampleCost = costs.expected(sample.promptTokens());
        double[] mean = new double[column.length];
        for (double[] row : sampleQuality) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += row[i];
            }
        }
        int strongest = 0;
        for (int i = 1; i < mean.length; i++) {
            if (mean[i] > mean[strongest]) {
                strongest = i;
            }
        }
        Double target = settings.targetCostUsd();
        if (settings.targetSpendShare() != null) {
            // a share of spend: of what sending the sample to the most capable model alone would cost
            double alone = 0;
            for (double[] row : sampleCost) {
                alone += row[strongest] / sampleCost.length;
            }
            target = settings.targetSpendShare() * alone;
        }
        CostAwareSelector selector = target != null
                ? CostAwareSelector.tradeOff(CostAwareSelector.lambdaForAverageCost(sampleQuality, sampleCost, target))
                : new CostAwareSelector(settings.rule(), settings.value());
        double[] base = costs.expected(0);
        int cheapest = 0;
        for (int i = 1; i < base.length; i++) {
            if (base[i] < base[cheapest]) {
                cheapest = i;
            }
        }
        return new ModelSelection(
                predictor, queues, column, costs, selector, strongest, cheapest, sampleQuality, sampleCost);
    }

    /** One decision per request, from one call of the predictor. */
    public List<RoutingDecision> decide(List<PromptRequest> requests, Clock clock) {
        double[][] predicted = predictor.predict(
                requests.stream().map(PromptRequest::lastUserText).toList());
        RouterInfo info = predictor.info();
        List<RoutingDecision> out = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            PromptRequest request = requests.get(r);
            double[] quality = ModelColumns.of(predicted[r], column);
            for (double q : quality) {
                if (!Double.isFinite(q)) {
                    throw new IllegalStateException("predictor " + info.version() + " returned quality " + q);
                }
            }
            RoutingHints hints = request.routing();
            boolean forced = hints != null && hints.forceTier() != null;
            CostAwareSelector rule =
                    hints != null && hints.strongShare() != null ? forStrongShare(hints.strongShare()) : selector;
            int choice = forced
                    ? (hints.forceTier() == Tier.STRONG ? strongest : cheapest)
                    : rule.select(quality, costs.expected(Tokens.estimate(request.lastUserText())));
            ModelQueue q = queues.get(choice);
            out.add(new RoutingDecision(
                    choice == strongest ? Tier.STRONG : Tier.WEAK,
                    q.model(),
                    scaled(quality[choice]),
                    info.kind(),
                    info.version(),
                    rule.value(),
                    forced,
                    clock.millis(),
                    q.queue()));
        }
        return out;
    }

    /**
     * A request's own strong share (a batch job's {@code kroute_strong_share}) with many models: the trade-off whose
     * choices send that share of the calibration sample to the most capable model, found by bisection on lambda (the
     * share falls as lambda grows) and kept per share.
     */
    CostAwareSelector forStrongShare(double share) {
        return byShare.computeIfAbsent(
                share, s -> CostAwareSelector.tradeOff(CostAwareSelector.lambdaWhere(this::strongShare, s)));
    }

    private double strongShare(double lambda) {
        CostAwareSelector s = CostAwareSelector.tradeOff(lambda);
        int strong = 0;
        for (int i = 0; i < sampleQuality.length; i++) {
            if (s.select(sampleQuality[i], sampleCost[i]) == strongest) {
                strong++;
            }
        }
        return strong / (double) sampleQuality.length;
    }

    public List<ModelQueue> queues() {
        return queues;
    }

    public CostAwareSelector selector() {
        return selector;
    }

    public RouterInfo info() {
        return predictor.info();
    }

    /** The model a forced tier goes to: the most capable for strong, the cheapest for weak. */
    public String modelFor(Tier tier) {
        return queues.get(tier == Tier.STRONG ? strongest : cheapest).model();
    }

    /** The queue of the most capable model: what the decisions call the strong tier. */
    public String strongestQueue() {
        return queues.get(strongest).queue();
    }

    private double scaled(double quality) {
        double span = range[1] - range[0];
        double s = span > 0 ? (quality - range[0]) / span : 0.5;
        return Math.max(0, Math.min(1, s));
    }

    @Override
    public void close() {
        predictor.close();
    }
}
