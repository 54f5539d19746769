package io.kroute.router.cli;

import io.kroute.router.LengthRouter;
import io.kroute.router.RandomRouter;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.eval.RoutingEvaluation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The leave-one-out protocol: every source in turn is held out, a router of each kind is trained on the other sources
 * (by default only those whose labels may ship) and scored on the held-out one. What it measures is how a router does
 * on traffic unlike anything it was trained on, which is what a deployment meets before it has labels of its own.
 */
final class LeaveOneOut {

    /**
     * One source.
     *
     * @param training its rows as training data (already without any prompt a shipped router may not see)
     * @param evaluated its rows that score both models of the pair, what it is evaluated on when held out
     */
    record Source(
            String name,
            boolean shippable,
            List<ScoredAnswer> training,
            List<ScoredAnswer> evaluated,
            String strong,
            String weak) {}

    /** Trains a router of one kind on the given rows. */
    interface Trainer {
        Scorer train(String kind, List<ScoredAnswer> training) throws Exception;
    }

    /** A trained router, as the scores it gives held-out prompts. */
    interface Scorer {
        double[] score(List<String> prompts) throws Exception;
    }

    /**
     * What one held-out source gave: the sources trained on, one result per router, and the band (5th and 95th
     * percentile) of the APGR of {@value #ORDERINGS} random orderings of its prompts: on a source of a few hundred
     * prompts, a router inside that band is not told apart from a coin.
     */
    record Fold(
            String heldOut,
            List<String> trainedOn,
            int trainingRows,
            List<RoutingEvaluation.Result> results,
            double randomLow,
            double randomHigh) {}

    static final int ORDERINGS = 200;

    /** A router's APGR and CPT(50%) per held-out source, and their mean and worst. */
    record Summary(String router, Map<String, Double> apgr, Map<String, Double> cpt50) {
        double mean() {
            return apgr.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(Double.NaN);
        }

        double worst() {
            return apgr.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }
    }

    static final String LENGTH = "length";
    static final String RANDOM = "random (seed 0)";

    private LeaveOneOut() {}

    /**
     * @param heldOut the names of the sources to hold out in turn
     * @param allSources train on every other source, the evaluation-only ones too (research); else only on the
     *     shippable ones
     */
    static List<Fold> run(
            List<Source> sources,
            List<String> heldOut,
            boolean allSources,
            List<String> kinds,
            Trainer trainer,
            Consumer<String> log)
            throws Exception {
        List<Fold> folds = new ArrayList<>();
        // Every evaluation-only source held out trains on the same shippable rows: the routers of the fold before
        // are reused when the rows are equal (a training is deterministic), which saves three of seven trainings.
        List<ScoredAnswer> trainedRows = null;
        Map<String, Scorer> trained = new HashMap<>();
        for (String name : heldOut) {
            Source held = sources.stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no source " + name));
            Set<String> heldPrompts = new HashSet<>();
            held.evaluated().forEach(a -> heldPrompts.add(a.prompt()));
            List<ScoredAnswer> training = new ArrayList<>();
            List<String> trainedOn = new ArrayList<>();
            for (Source s : sources) {
                if (s.name().equals(name) || !(allSources || s.shippable())) {
                    continue;
                }
                trainedOn.add(s.name());
                // A prompt that is also in the held-out source (the same question in two data sets) is not trained on.
                s.training().stream()
                        .filter(a -> !heldPrompts.contains(a.prompt()))
                        .forEach(training::add);
            }
            List<String> prompts =
                    held.evaluated().stream().map(ScoredAnswer::prompt).toList();
            double[] strong = held.evaluated().stream()
                    .mapToDouble(a -> a.scores().get(held.strong()))
                    .toArray();
            double[] weak = held.evaluated().stream()
                    .mapToDouble(a -> a.scores().get(held.weak()))
                    .toArray();
            String label = "held out, trained on " + String.join("+", trainedOn);
            log.accept(String.format(
                    "leave-one-out: %s (%d prompts), training on %s (%d rows)",
                    name, prompts.size(), trainedOn, training.size()));
            if (!training.equals(trainedRows)) {
                trained.clear();
                trainedRows = List.copyOf(training);
            } else {
                log.accept("  the same rows as the source before: its routers are reused");
            }
            List<RoutingEvaluation.Result> results = new ArrayList<>();
            for (String kind : kinds) {
                Scorer scorer = trained.get(kind);
                if (scorer == null) {
                    scorer = trainer.train(kind, trainedRows);
                    trained.put(kind, scorer);
                }
                results.add(RoutingEvaluation.evaluate(kind, label, strong, weak, scorer.score(prompts)));
            }
            results.add(RoutingEvaluation.evaluate(
                    LENGTH, "no training", strong, weak, new LengthRouter().scoreBatch(prompts)));
            results.add(RoutingEvaluation.evaluate(
                    RANDOM, "no training", strong, weak, new RandomRouter(0).scoreBatch(prompts)));
            results.add(RoutingEvaluation.random(strong, weak));
            results.add(RoutingEvaluation.optimal(strong, weak));
            double[] band = randomBand(strong, weak);
            folds.add(new Fold(name, trainedOn, training.size(), results, band[0], band[1]));
        }
        return folds;
    }

    /** The 5th and 95th percentile APGR of random orderings (seeds 1 to {@value #ORDERINGS}). */
    static double[] randomBand(double[] strong, double[] weak) {
        double[] apgr = new double[ORDERINGS];
        for (int seed = 1; seed <= ORDERINGS; seed++) {
            Random random = new Random(seed);
            double[] scores = new double[strong.length];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = random.nextDouble();
            }
            apgr[seed - 1] = RoutingEvaluation.evaluate("random", "", strong, weak, scores)
                    .apgr();
        }
        Arrays.sort(apgr);
        return new double[] {apgr[(int) (0.05 * ORDERINGS)], apgr[(int) (0.95 * ORDERINGS) - 1]};
    }

    /** One summary per router, in the order of the first fold's results. */
    static List<Summary> summarise(List<Fold> folds) {
        Map<String, Summary> out = new LinkedHashMap<>();
        for (Fold fold : folds) {
            for (RoutingEvaluation.Result r : fold.results()) {
                Summary s = out.computeIfAbsent(
                        r.router(), k -> new Summary(k, new LinkedHashMap<>(), new LinkedHashMap<>()));
                s.apgr().put(fold.heldOut(), r.apgr());
                s.cpt50().put(fold.heldOut(), r.cpt50());
            }
        }
        return List.copyOf(out.values());
    }
}
