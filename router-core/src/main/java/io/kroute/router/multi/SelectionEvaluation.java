package io.kroute.router.multi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Quality against cost for N models: the selector's curve (its trade-off swept from "best predicted" to "cheapest"),
 * every single model, the random mixes of single models (the upper hull of their points: what any prompt-blind mix can
 * reach), and the oracle (the same sweep on the true qualities and costs). The headline figures read the curves as
 * RouteLLM reads CPT: the cost to match the best single model's quality, and the quality at its cost, on the upper
 * hull of the operating points (two settings of the trade-off can be mixed at random, so the hull is reachable).
 */
public final class SelectionEvaluation {

    /** Quality per USD: from "cost does not matter" to "only cost matters", fine enough that every switch shows. */
    static final double[] LAMBDAS = lambdas();

    private SelectionEvaluation() {}

    /**
     * One operating point: average cost per prompt (USD) and average quality.
     *
     * @param setting what produced it: a model name, a lambda, or {@code mix}
     * @param shares the share of prompts sent to each model (empty for a mix of points)
     */
    public record Point(double cost, double quality, String setting, double[] shares) {}

    /** A single model's point. */
    public record Single(String model, double cost, double quality) {}

    /** The headline figures of one curve against the best single model. */
    public record Headline(
            String bestSingleModel,
            double bestSingleQuality,
            double bestSingleCost,
            double costShareToMatchBestSingle,
            double qualityAtBestSingleCost) {}

    public static List<Single> singles(List<String> models, double[][] quality, double[][] cost) {
        List<Single> out = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            double q = 0, c = 0;
            for (int i = 0; i < quality.length; i++) {
                q += quality[i][m];
                c += cost[i][m];
            }
            out.add(new Single(models.get(m), c / quality.length, q / quality.length));
        }
        return out;
    }

    /** The highest quality; of equal ones the cheapest. */
    public static Single bestSingle(List<Single> singles) {
        return singles.stream()
                .max(Comparator.comparingDouble(Single::quality)
                        .thenComparing(Comparator.comparingDouble(Single::cost).reversed()))
                .orElseThrow();
    }

    /**
     * The trade-off sweep: for each lambda, each prompt's model chosen on {@code predicted} quality and
     * {@code expectedCost}, scored on the true {@code quality} and {@code cost}.
     */
    public static List<Point> tradeOffCurve(
            double[][] predicted, double[][] expectedCost, double[][] quality, double[][] cost) {
        List<Point> out = new ArrayList<>();
        int n = quality.length;
        int m = quality[0].length;
        for (double lambda : LAMBDAS) {
            CostAwareSelector selector = CostAwareSelector.tradeOff(lambda);
            double q = 0, c = 0;
            double[] shares = new double[m];
            for (int i = 0; i < n; i++) {
                int pick = selector.select(predicted[i], expectedCost[i]);
                q += quality[i][pick];
                c += cost[i][pick];
                shares[pick] += 1.0 / n;
            }
            out.add(new Point(c / n, q / n, "lambda=" + lambda, shares));
        }
        return out;
    }

    /**
     * The sweep on requests labelled for some models only (a deployment's feedback): at each lambda, the trade-off
     * selector's pick ({@link CostAwareSelector}, as in service) among the models labelled on each request (an
     * unlabelled one, NaN, is no candidate), with its label as quality and
     * its expected cost as cost. Two predictors swept on the same labels pick from the same answers, so their curves
     * compare fairly whatever was labelled. Requests with fewer than two labelled models are skipped: there is no choice
     * to judge on them.
     */
    public static List<Point> labelledTradeOffCurve(double[][] predicted, double[][] expectedCost, double[][] labels) {
        List<Point> out = new ArrayList<>();
        for (double lambda : LAMBDAS) {
            CostAwareSelector selector = CostAwareSelector.tradeOff(lambda);
            double q = 0, c = 0;
            int n = 0;
            for (int i = 0; i < labels.length; i++) {
                // the selector in service, given the labelled models only
                double[] row = labels[i];
                int[] candidates = IntStream.range(0, row.length)
                        .filter(m -> !Double.isNaN(row[m]))
                        .toArray();
                if (candidates.length < 2) {
                    continue;
                }
                double[] quality = new double[candidates.length];
                double[] cost = new double[candidates.length];
                for (int k = 0; k < candidates.length; k++) {
                    quality[k] = predicted[i][candidates[k]];
                    cost[k] = expectedCost[i][candidates[k]];
                }
                int pick = candidates[selector.select(quality, cost)];
                q += labels[i][pick];
                c += expectedCost[i][pick];
                n++;
            }
            if (n > 0) {
                out.add(new Point(c / n, q / n, "lambda=" + lambda, new double[0]));
            }
        }
        return out;
    }

    /**
     * How well a predictor chooses among each request's labelled models, in one number: the mean quality of the upper
     * hull of its {@link #labelledTradeOffCurve} at ten costs from always the cheapest labelled model to always the
     * dearest. Two predictors compared on the same labels pick from the same answers.
     */
    public static double choiceQuality(double[][] predicted, double[][] expectedCost, double[][] labels) {
        double lo = 0, hi = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            int labelled = 0;
            for (int m = 0; m < labels[i].length; m++) {
                if (!Double.isNaN(labels[i][m])) {
                    min = Math.min(min, expectedCost[i][m]);
                    max = Math.max(max, expectedCost[i][m]);
                    labelled++;
                }
            }
            if (labelled >= 2) {
                lo += min;
                hi += max;
                n++;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        List<Point> hull = upperHull(labelledTradeOffCurve(predicted, expectedCost, labels));
        return meanQuality(hull, lo / n, hi / n, 10);
    }

    /**
     * The mean of a hull's quality at {@code levels} costs spread evenly over [lo, hi]: one number for a curve, to
     * compare two on the same requests. A cost below the hull's cheapest point counts as that point's quality.
     */
    public static double meanQuality(List<Point> hull, double lo, double hi, int levels) {
        double sum = 0;
        for (int k = 0; k < levels; k++) {
            double cost = levels == 1 ? lo : lo + (hi - lo) * k / (levels - 1);
            double q = qualityAt(hull, cost);
            sum += Double.isNaN(q) ? hull.get(0).quality() : q;
        }
        return sum / levels;
    }

    /** The single models' points as a curve. */
    public static List<Point> points(List<Single> singles) {
        List<Point> out = new ArrayList<>();
        for (int m = 0; m < singles.size(); m++) {
            double[] shares = new double[singles.size()];
            shares[m] = 1;
            out.add(new Point(
                    singles.get(m).cost(),
                    singles.get(m).quality(),
                    singles.get(m).model(),
                    shares));
        }
        return out;
    }

    /**
     * The upper concave hull of operating points, by increasing cost, starting at the cheapest point: the best
     * quality reachable at each cost by mixing two of the points at random.
     */
    public static List<Point> upperHull(List<Point> points) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(Point::cost)
                .thenComparing(Comparator.comparingDouble(Point::quality).reversed()));
        List<Point> hull = new ArrayList<>();
        for (Point p : sorted) {
            if (!hull.isEmpty() && p.quality() <= hull.get(hull.size() - 1).quality()) {
                continue; // costs more for no more quality
            }
            while (hull.size() >= 2) {
                Point a = hull.get(hull.size() - 2);
                Point b = hull.get(hull.size() - 1);
                // b lies on or under the segment a-p: not on the hull
                double cross = (b.cost() - a.cost()) * (p.quality() - a.quality())
                        - (b.quality() - a.quality()) * (p.cost() - a.cost());
                if (cross >= 0) {
                    hull.remove(hull.size() - 1);
                } else {
                    break;
                }
            }
            hull.add(p);
        }
        return hull;
    }

    /** The hull's quality at a cost (linear between its points; beyond its last point, the last quality). */
    public static double qualityAt(List<Point> hull, double cost) {
        if (cost < hull.get(0).cost()) {
            return Double.NaN;
        }
        for (int i = 1; i < hull.size(); i++) {
            Point a = hull.get(i - 1);
            Point b = hull.get(i);
            if (cost <= b.cost()) {
                double t = (cost - a.cost()) / (b.cost() - a.cost());
                return a.quality() + t * (b.quality() - a.quality());
            }
        }
        return hull.get(hull.size() - 1).quality();
    }

    /** The hull's lowest cost reaching a quality, or NaN when it never does. */
    public static double costFor(List<Point> hull, double quality) {
        if (hull.get(0).quality() >= quality) {
            return hull.get(0).cost();
        }
        for (int i = 1; i < hull.size(); i++) {
            Point a = hull.get(i - 1);
            Point b = hull.get(i);
            if (b.quality() >= quality) {
                double t = (quality - a.quality()) / (b.quality() - a.quality());
                return a.cost() + t * (b.cost() - a.cost());
            }
        }
        return Double.NaN;
    }

    /**
     * Each row replaced by the mean of the rows of its group (e.g. its task). As the "prediction" of a trade-off
     * sweep, on the true per-group means of quality and cost, this is the task oracle: the best any selector reaches
     * that tells the groups apart and nothing within them.
     */
    public static double[][] groupMeans(double[][] rows, List<String> groups) {
        java.util.Map<String, double[]> sum = new java.util.HashMap<>();
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            double[] s = sum.computeIfAbsent(groups.get(i), g -> new double[rows[0].length]);
            for (int m = 0; m < s.length; m++) {
                s[m] += rows[i][m];
            }
            count.merge(groups.get(i), 1, Integer::sum);
        }
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double[] s = sum.get(groups.get(i));
            int n = count.get(groups.get(i));
            out[i] = new double[s.length];
            for (int m = 0; m < s.length; m++) {
                out[i][m] = s[m] / n;
            }
        }
        return out;
    }

    public static Headline headline(List<Point> curve, Single best) {
        List<Point> hull = upperHull(curve);
        return new Headline(
                best.model(),
                best.quality(),
                best.cost(),
                costFor(hull, best.quality()) / best.cost(),
                qualityAt(hull, best.cost()));
    }

    private static double[] lambdas() {
        List<Double> out = new ArrayList<>();
        out.add(0.0);
        for (double e = -2; e <= 9.0001; e += 0.05) {
            out.add(Math.pow(10, e));
        }
        out.add(Double.POSITIVE_INFINITY);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
