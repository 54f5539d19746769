package io.kroute.router.eval;

import io.kroute.router.ThresholdCalibrator;
import io.kroute.router.data.ScoredAnswer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * RouteLLM's {@code evaluate.py} on one router's scores: route to strong when score >= threshold, for thresholds at
 * the score deciles (plus all-weak and all-strong), giving quality against the share of strong calls. APGR is the
 * area under the performance-gap-recovered curve (trapezoids over the measured points), AUC the area under quality,
 * CPT(x) the smallest strong share whose quality recovers x of the gap, read on the piecewise-linear curve.
 */
public final class RoutingEvaluation {

    private RoutingEvaluation() {}

    /** One point of a curve. */
    public record Point(double threshold, double strongShare, double quality) {}

    /** Everything evaluate.py reports for one router. */
    public record Result(
            String router,
            String protocol,
            int prompts,
            double strongScore,
            double weakScore,
            double apgr,
            double auc,
            double cpt50,
            double cpt80,
            List<Point> curve) {}

    public static Result evaluate(
            String router, String protocol, List<ScoredAnswer> data, String strong, String weak, double[] scores) {
        if (scores.length != data.size()) {
            throw new IllegalArgumentException(scores.length + " scores for " + data.size() + " prompts");
        }
        double[] s = new double[data.size()];
        double[] w = new double[data.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = value(data.get(i), strong);
            w[i] = value(data.get(i), weak);
        }
        return evaluate(router, protocol, s, w, scores);
    }

    /** @param strong the strong model's quality on each prompt; {@code weak} likewise */
    public static Result evaluate(String router, String protocol, double[] strong, double[] weak, double[] scores) {
        int n = scores.length;
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        List<Point> curve = new ArrayList<>();
        curve.add(point(Double.POSITIVE_INFINITY, strong, weak, scores));
        for (int decile = 9; decile >= 1; decile--) {
            curve.add(point(ThresholdCalibrator.quantile(sorted, decile / 10.0), strong, weak, scores));
        }
        curve.add(point(Double.NEGATIVE_INFINITY, strong, weak, scores));
        curve.sort(Comparator.comparingDouble(Point::strongShare));
        return summarise(router, protocol, n, mean(strong), mean(weak), curve);
    }

    /** The oracle: strong calls go to the prompts where strong gains most, best first. */
    public static Result optimal(double[] strong, double[] weak) {
        int n = strong.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -(strong[i] - weak[i])));
        double total = 0;
        for (double v : weak) {
            total += v;
        }
        List<Point> curve = new ArrayList<>();
        curve.add(new Point(Double.NaN, 0, total / n));
        int next = 1;
        for (int k = 1; k <= n; k++) {
            total += strong[order[k - 1]] - weak[order[k - 1]];
            if (k * 100L >= (long) next * n) {
                curve.add(new Point(Double.NaN, (double) k / n, total / n));
                while (k * 100L >= (long) next * n) {
                    next++;
                }
            }
        }
        return summarise("optimal", "oracle", n, mean(strong), mean(weak), curve);
    }

    /** The random router's expected curve: a straight line from all-weak to all-strong (APGR 0.5). */
    public static Result random(double[] strong, double[] weak) {
        List<Point> curve = new ArrayList<>();
        double s = mean(strong);
        double w = mean(weak);
        for (int i = 0; i <= 10; i++) {
            curve.add(new Point(Double.NaN, i / 10.0, w + (s - w) * i / 10.0));
        }
        return summarise("random", "expected", strong.length, s, w, curve);
    }

    static Result summarise(String router, String protocol, int n, double strong, double weak, List<Point> curve) {
        double gap = strong - weak;
        double auc = 0;
        double apgr = 0;
        for (int i = 1; i < curve.size(); i++) {
            Point a = curve.get(i - 1);
            Point b = curve.get(i);
            double dx = b.strongShare() - a.strongShare();
            auc += dx * (a.quality() + b.quality()) / 2;
            apgr += dx * ((a.quality() - weak) + (b.quality() - weak)) / 2 / gap;
        }
        return new Result(
                router,
                protocol,
                n,
                strong,
                weak,
                apgr,
                auc,
                cpt(curve, weak, gap, 0.5),
                cpt(curve, weak, gap, 0.8),
                List.copyOf(curve));
    }

    /** The smallest strong share at which the piecewise-linear curve reaches weak + fraction * gap. */
    static double cpt(List<Point> curve, double weak, double gap, double fraction) {
        double target = weak + fraction * gap;
        for (int i = 0; i < curve.size(); i++) {
            Point b = curve.get(i);
            if (b.quality() >= target - 1e-12) {
                if (i == 0) {
                    return b.strongShare();
                }
                Point a = curve.get(i - 1);
                double t = (target - a.quality()) / (b.quality() - a.quality());
                return a.strongShare() + t * (b.strongShare() - a.strongShare());
            }
        }
        return Double.NaN;
    }

    private static Point point(double threshold, double[] strong, double[] weak, double[] scores) {
        double quality = 0;
        int strongCalls = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean toStrong = scores[i] >= threshold;
            quality += toStrong ? strong[i] : weak[i];
            strongCalls += toStrong ? 1 : 0;
        }
        return new Point(threshold, (double) strongCalls / scores.length, quality / scores.length);
    }

    private static double value(ScoredAnswer a, String model) {
        Double v = a.scores().get(model);
        if (v == null) {
            throw new IllegalArgumentException("prompt " + a.id() + " has no score for " + model);
        }
        return v;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
