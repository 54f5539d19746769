package io.kroute.router.train;

import io.kroute.router.ModelCard;
import io.kroute.router.ThresholdCalibrator;
import io.kroute.router.data.Battle;
import io.kroute.router.data.ScoredAnswer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Trains a head of a given kind and writes a router directory: head files plus the model card. */
public final class RouterTraining {

    public static final List<String> KINDS =
            List.of(MatrixFactorization.KIND, Classifier.KIND, SwRanking.KIND, RidgeKnn.KIND);

    private RouterTraining() {}

    public static TrainedHead train(
            String kind, BattleSet data, String strong, String weak, long seed, Consumer<String> progress) {
        return train(kind, data, strong, weak, seed, Map.of(), progress);
    }

    /**
     * @param overrides hyperparameters that replace the defaults, by the names the model card lists (e.g.
     *     {@code epochs}, {@code hidden}, {@code dim}, {@code sharpness})
     */
    public static TrainedHead train(
            String kind,
            BattleSet data,
            String strong,
            String weak,
            long seed,
            Map<String, String> overrides,
            Consumer<String> progress) {
        return train(
                kind,
                data,
                strong,
                weak,
                seed,
                overrides,
                progress,
                (done, total) -> progress.accept(kind + " epoch " + done + "/" + total));
    }

    /** Epochs done out of all, for a progress display. */
    public interface Epochs {
        void done(int done, int total);
    }

    /**
     * As above, with each epoch of the kinds trained by epochs (mf, classifier) reported to {@code epochs} rather than
     * as a line of {@code progress}.
     */
    public static TrainedHead train(
            String kind,
            BattleSet data,
            String strong,
            String weak,
            long seed,
            Map<String, String> overrides,
            Consumer<String> progress,
            Epochs epochs) {
        return recipe(kind, overrides, seed).train(data, strong, weak, progress, epochs);
    }

    /**
     * Parses and checks a kind's hyperparameters without training, so a deployment refuses a bad value when it starts
     * rather than at its first round.
     *
     * @throws IllegalArgumentException an unknown kind, a key the kind does not have, a value out of its range
     */
    public static void check(String kind, Map<String, String> overrides) {
        recipe(kind, overrides, 0);
    }

    /** A kind with its settings parsed and checked: what is left is to train it on data. */
    private interface Recipe {
        TrainedHead train(BattleSet data, String strong, String weak, Consumer<String> progress, Epochs epochs);
    }

    private static Recipe recipe(String kind, Map<String, String> overrides, long seed) {
        Map<String, String> o = new java.util.HashMap<>(overrides);
        Recipe recipe =
                switch (kind) {
                    case MatrixFactorization.KIND -> {
                        MatrixFactorization.Settings d = MatrixFactorization.Settings.defaults();
                        MatrixFactorization.Settings s = new MatrixFactorization.Settings(
                                integer(o, "dim", d.dim()),
                                integer(o, "epochs", d.epochs()),
                                number(o, "learning_rate", d.learningRate()),
                                number(o, "weight_decay", d.weightDecay()),
                                integer(o, "batch_prompts", d.batchPrompts()),
                                seed);
                        yield (data, strong, weak, progress, epochs) ->
                                MatrixFactorization.train(data, s, e -> epochs.done(e, s.epochs()));
                    }
                    case Classifier.KIND -> {
                        Classifier.Settings d = Classifier.Settings.defaults();
                        Classifier.Settings s = new Classifier.Settings(
                                integer(o, "hidden", d.hidden()),
                                integer(o, "epochs", d.epochs()),
                                number(o, "learning_rate", d.learningRate()),
                                number(o, "weight_decay", d.weightDecay()),
                                integer(o, "batch", d.batch()),
                                seed);
                        int members = integer(o, "ensemble", 1);
                        yield (data, strong, weak, progress, epochs) -> Classifier.trainEnsemble(
                                data, strong, weak, s, members, e -> epochs.done(e, s.epochs()));
                    }
                    case SwRanking.KIND -> {
                        double sharpness = number(o, "sharpness", SwRanking.DEFAULT_SHARPNESS);
                        yield (data, strong, weak, progress, epochs) -> SwRanking.train(data, sharpness);
                    }
                    case RidgeKnn.KIND -> {
                        RidgeKnn.Settings d = RidgeKnn.Settings.defaults();
                        String k = o.remove("neighbours");
                        RidgeKnn.Settings s = new RidgeKnn.Settings(
                                integer(o, "buckets", d.buckets()),
                                integer(o, "min_df", d.minDf()),
                                number(o, "lambda", d.lambda()),
                                number(o, "ngram_scale", d.ngramScale()),
                                number(o, "embedding_scale", d.embeddingScale()),
                                number(o, "feature_scale", d.featureScale()),
                                number(o, "choice_scale", d.choiceScale()),
                                k == null ? d.neighbours() : neighbours(k),
                                number(o, "knn_share", d.knnShare()),
                                integer(o, "iterations", d.iterations()),
                                o.getOrDefault("source_weighting", d.sourceWeighting()),
                                number(o, "prior_scale", d.priorScale()),
                                number(o, "familiar_from", d.familiarFrom()),
                                number(o, "familiar_to", d.familiarTo()),
                                integer(o, "familiar_k", d.familiarK()),
                                flag(o, "clip_features", d.clipFeatures()),
                                number(o, "difficulty_share", d.difficultyShare()),
                                integer(o, "reliability_folds", d.reliabilityFolds()));
                        o.remove("source_weighting");
                        s.check();
                        yield (data, strong, weak, progress, epochs) -> RidgeKnn.train(data, strong, weak, s, progress);
                    }
                    default -> throw new IllegalArgumentException(
                            "unknown router kind '" + kind + "', expected one of " + KINDS);
                };
        // Before any training: a misspelt key must not cost a whole fit first.
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("hyperparameters " + o.keySet() + " do not apply to " + kind);
        }
        return recipe;
    }

    /** Parses {@code key=value,key=value}. */
    public static Map<String, String> parseOverrides(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("hyperparameters must be key=value[,key=value], got '" + pair + "'");
            }
            out.put(kv[0].strip(), kv[1].strip());
        }
        return out;
    }

    /** {@code 50+200}: '+' separates the k values, since ',' separates the overrides. */
    private static List<Integer> neighbours(String text) {
        try {
            return java.util.Arrays.stream(text.split("\\+"))
                    .map(String::strip)
                    .map(Integer::parseInt)
                    .toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("neighbours must be k values joined by '+', e.g. 50+200, got " + text);
        }
    }

    private static int integer(Map<String, String> o, String key, int fallback) {
        String v = o.remove(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got " + v);
        }
    }

    private static double number(Map<String, String> o, String key, double fallback) {
        String v = o.remove(key);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got " + v);
        }
    }

    private static boolean flag(Map<String, String> o, String key, boolean fallback) {
        String v = o.remove(key);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got " + v);
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * Saves the head and its model card, calibrated on the given sample's scores.
     *
     * @param calibrationScores the router's scores on the calibration sample (e.g. the training prompts)
     */
    public static ModelCard save(
            Path directory,
            TrainedHead head,
            String encoderId,
            String strong,
            String weak,
            List<ModelCard.DataSource> sources,
            String calibrationSample,
            double[] calibrationScores,
            String notes)
            throws IOException {
        Files.createDirectories(directory);
        String file = head.save(directory);
        String combined = sha256(String.join(
                "\n", sources.stream().map(ModelCard.DataSource::sha256).toList()));
        // The version names what decides the scores: the data, the encoder and the hyperparameters.
        String recipe = sha256(combined + "\n" + encoderId + "\n" + new TreeMap<>(head.hyperparameters()));
        ModelCard card = new ModelCard(
                head.kind(),
                head.kind() + "-" + recipe.substring(0, 12),
                encoderId,
                head.models(),
                strong,
                weak,
                file,
                null,
                sources,
                combined,
                head.hyperparameters(),
                new ModelCard.Calibration(
                        calibrationSample, calibrationScores.length, ThresholdCalibrator.quantiles(calibrationScores)),
                Map.of(),
                notes,
                null);
        Files.write(directory.resolve(ModelCard.FILE), card.toJson());
        return card;
    }

    /** The hash of a data set's prompts and labels, independent of row order. */
    public static String hashScored(List<ScoredAnswer> answers) {
        List<String> lines = new ArrayList<>();
        for (ScoredAnswer a : answers) {
            lines.add(a.prompt() + "\u0000" + new TreeMap<>(a.scores()));
        }
        lines.sort(null);
        return sha256(String.join("\u0001", lines));
    }

    public static String hashBattles(List<Battle> battles) {
        List<String> lines = new ArrayList<>();
        for (Battle b : battles) {
            lines.add(b.prompt() + "\u0000" + b.modelA() + "\u0000" + b.modelB() + "\u0000" + b.winner());
        }
        lines.sort(null);
        return sha256(String.join("\u0001", lines));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
