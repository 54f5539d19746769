package io.kroute.router.multi;

import java.util.Locale;

/**
 * Routoo's cost-aware selector: from each model's predicted quality on a prompt and its expected cost, one model.
 * Three rules: the best predicted quality whose cost fits a ceiling; the cheapest model within a tolerance of the best
 * predicted quality; or the best quality-per-cost trade-off {@code quality - lambda * cost}, whose {@code lambda}
 * {@link #lambdaForAverageCost} calibrates to a target average cost per prompt. Ties go to the cheaper model, then
 * to the earlier one, so a prompt always gets the same model. The two-model router is the special case of a threshold
 * on one score and does not go through here.
 */
public final class CostAwareSelector {

    /** How a selector picks. */
    public enum Rule {
        /** the highest predicted quality whose expected cost is at most the value (USD); none fits: the cheapest */
        MAX_QUALITY_UNDER_COST("max-quality-under-cost"),
        /** the cheapest model whose predicted quality is at least the best predicted quality minus the value */
        CHEAPEST_WITHIN("cheapest-within"),
        /** the highest {@code quality - value * cost}: value is quality units per USD */
        TRADE_OFF("trade-off");

        private final String wire;

        Rule(String wire) {
            this.wire = wire;
        }

        public String wireName() {
            return wire;
        }

        public static Rule parse(String text) {
            for (Rule r : values()) {
                if (r.wire.equals(text)) {
                    return r;
                }
            }
            throw new IllegalArgumentException(
                    "selector rule must be max-quality-under-cost, cheapest-within or trade-off, got '" + text + "'");
        }
    }

    private final Rule rule;
    private final double value;

    public CostAwareSelector(Rule rule, double value) {
        if (!(value >= 0) || Double.isInfinite(value) && rule != Rule.TRADE_OFF) {
            throw new IllegalArgumentException(rule.wireName() + " needs a value >= 0, got " + value);
        }
        this.rule = rule;
        this.value = value;
    }

    public static CostAwareSelector maxQualityUnderCost(double usd) {
        return new CostAwareSelector(Rule.MAX_QUALITY_UNDER_COST, usd);
    }

    public static CostAwareSelector cheapestWithin(double tolerance) {
        return new CostAwareSelector(Rule.CHEAPEST_WITHIN, tolerance);
    }

    public static CostAwareSelector tradeOff(double lambda) {
        return new CostAwareSelector(Rule.TRADE_OFF, lambda);
    }

    public Rule rule() {
        return rule;
    }

    public double value() {
        return value;
    }

    /** The index of the model chosen, from each model's predicted quality and expected cost (same order). */
    public int select(double[] quality, double[] cost) {
        switch (rule) {
            case MAX_QUALITY_UNDER_COST: {
                int best = -1;
                for (int m = 0; m < quality.length; m++) {
                    if (cost[m] <= value && (best < 0 || better(quality[m], cost[m], quality[best], cost[best]))) {
                        best = m;
                    }
                }
                return best >= 0 ? best : cheapest(cost);
            }
            case CHEAPEST_WITHIN: {
                double top = Double.NEGATIVE_INFINITY;
                for (double q : quality) {
                    top = Math.max(top, q);
                }
                int pick = -1;
                for (int m = 0; m < quality.length; m++) {
                    if (quality[m] >= top - value && (pick < 0 || cost[m] < cost[pick])) {
                        pick = m;
                    }
                }
                return pick;
            }
            default: {
                if (Double.isInfinite(value)) {
                    return cheapest(cost);
                }
                int best = 0;
                for (int m = 1; m < quality.length; m++) {
                    double a = quality[m] - value * cost[m];
                    double b = quality[best] - value * cost[best];
                    if (a > b || a == b && cost[m] < cost[best]) {
                        best = m;
                    }
                }
                return best;
            }
        }
    }

    /** The choice for each prompt. */
    public int[] select(double[][] quality, double[][] cost) {
        int[] out = new int[quality.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = select(quality[i], cost[i]);
        }
        return out;
    }

    /**
     * The trade-off {@code lambda} whose choices on a calibration sample cost {@code targetUsd} per prompt on average
     * (expected costs), like the two-model threshold calibrated to a share of strong calls. The average cost falls as
     * lambda grows, so a bisection in log space finds it; a target below the cheapest choice gives infinity (always
     * the cheapest), one above the choice of lambda 0 gives 0 (always the best predicted).
     */
    public static double lambdaForAverageCost(double[][] quality, double[][] cost, double targetUsd) {
        if (!(targetUsd >= 0) || quality.length == 0) {
            throw new IllegalArgumentException("need a calibration sample and a target cost >= 0, got " + targetUsd);
        }
        return lambdaWhere(lambda -> averageCost(quality, cost, lambda), targetUsd);
    }

    /**
     * The smallest lambda at which {@code falling} (a measure of the trade-off's choices that does not rise with
     * lambda: an average cost, a share of calls to the dearest model) is at most {@code target}, by bisection in log
     * space: 0 when lambda 0 already meets it, infinity (the cheapest model) when nothing finite does.
     */
    public static double lambdaWhere(java.util.function.DoubleUnaryOperator falling, double target) {
        if (falling.applyAsDouble(0) <= target) {
            return 0;
        }
        if (falling.applyAsDouble(Double.POSITIVE_INFINITY) > target) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = 1e-6;
        double hi = 1e12;
        for (int i = 0; i < 100; i++) {
            double mid = Math.sqrt(lo * hi);
            if (falling.applyAsDouble(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** The average expected cost per prompt of the trade-off rule with this lambda on a sample. */
    public static double averageCost(double[][] quality, double[][] cost, double lambda) {
        CostAwareSelector s = tradeOff(lambda);
        double sum = 0;
        for (int i = 0; i < quality.length; i++) {
            sum += cost[i][s.select(quality[i], cost[i])];
        }
        return sum / quality.length;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.6g", rule.wireName(), value);
    }

    private static boolean better(double qa, double ca, double qb, double cb) {
        return qa > qb || qa == qb && ca < cb;
    }

    private static int cheapest(double[] cost) {
        int pick = 0;
        for (int m = 1; m < cost.length; m++) {
            if (cost[m] < cost[pick]) {
                pick = m;
            }
        }
        return pick;
    }
}
