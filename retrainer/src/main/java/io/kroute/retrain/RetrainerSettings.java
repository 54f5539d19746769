package io.kroute.retrain;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the retrainer learns and decides.
 *
 * @param kind the router kind it trains: {@code mf}, {@code classifier}, {@code ridge-knn}, or {@code quality-ridge}
 *     to correct the many-model predictor in service
 * @param strongModel the strong model's name, as labels and decisions name it
 * @param weakModel the weak model's name
 * @param strongShare the share of strong calls the promoted router is calibrated to
 * @param minNewLabels a round starts when this many labels arrived since the last one
 * @param minHeldOut no decision before the held-out slice has this many prompts
 * @param holdoutPercent the share of requests held out for the decision, by request id
 * @param channel the router-models channel to publish to
 * @param workDir where candidate routers and the decision log are written
 * @param retention how long a routed prompt waits for its labels
 * @param seed training seed
 * @param hyperparameters overrides of the kind's defaults, {@code key=value,...} (e.g. {@code ensemble=5})
 * @param holdoutSalt the secret the held-out split is keyed with (empty: a public hash of the request id, which lets a
 *     labeller who knows it aim labels at the held-out slice)
 * @param labelSources the label sources that count (empty: every source the schema allows)
 */
public record RetrainerSettings(
        String kind,
        String strongModel,
        String weakModel,
        double strongShare,
        int minNewLabels,
        int minHeldOut,
        int holdoutPercent,
        String channel,
        Path workDir,
        Duration retention,
        long seed,
        String hyperparameters,
        String holdoutSalt,
        java.util.Set<String> labelSources) {

    public RetrainerSettings {
        holdoutSalt = holdoutSalt == null ? "" : holdoutSalt;
        labelSources = labelSources == null ? java.util.Set.of() : java.util.Set.copyOf(labelSources);
        if (!RETRAINABLE.contains(kind)) {
            throw new IllegalArgumentException("retrainer kind must be one of " + RETRAINABLE + ", got '" + kind + "'");
        }
        if (minNewLabels < 1 || minHeldOut < 1) {
            throw new IllegalArgumentException("min new labels and min held-out must be at least 1");
        }
    }

    /**
     * The kinds cheap enough to retrain in a loop (SW ranking keeps every training vector and battle); a
     * {@code quality-ridge} predictor of many models is corrected from its labels ({@link PredictorRetrainer}).
     */
    public static final java.util.List<String> RETRAINABLE =
            java.util.List.of("mf", "classifier", "ridge-knn", io.kroute.router.multi.RidgeQuality.KIND);

    /** The two-model router kinds among them (the feedback demo's). */
    public static final java.util.List<String> ROUTER_KINDS = RETRAINABLE.subList(0, 3);

    public static RetrainerSettings defaults(String strongModel, String weakModel) {
        return new RetrainerSettings(
                "mf",
                strongModel,
                weakModel,
                0.5,
                500,
                50,
                20,
                "default",
                Path.of("target", "retrainer"),
                Duration.ofDays(7),
                42,
                "",
                "",
                java.util.Set.of());
    }

    private RetrainerSettings copy(Edit edit) {
        Builder b = new Builder(this);
        edit.apply(b);
        return new RetrainerSettings(
                b.kind,
                b.strongModel,
                b.weakModel,
                b.strongShare,
                b.minNewLabels,
                b.minHeldOut,
                b.holdoutPercent,
                b.channel,
                b.workDir,
                b.retention,
                b.seed,
                b.hyperparameters,
                b.holdoutSalt,
                b.labelSources);
    }

    public RetrainerSettings withMinNewLabels(int n) {
        return copy(b -> b.minNewLabels = n);
    }

    public RetrainerSettings withMinHeldOut(int n) {
        return copy(b -> b.minHeldOut = n);
    }

    public RetrainerSettings withKind(String k) {
        return copy(b -> b.kind = k);
    }

    public RetrainerSettings withWorkDir(Path dir) {
        return copy(b -> b.workDir = dir);
    }

    public RetrainerSettings withHoldoutSalt(String salt) {
        return copy(b -> b.holdoutSalt = salt);
    }

    public RetrainerSettings withLabelSources(java.util.Set<String> sources) {
        return copy(b -> b.labelSources = sources);
    }

    public RetrainerSettings withHyperparameters(String overrides) {
        return copy(b -> b.hyperparameters = overrides);
    }

    private interface Edit {
        void apply(Builder builder);
    }

    private static final class Builder {
        String kind;
        String strongModel;
        String weakModel;
        double strongShare;
        int minNewLabels;
        int minHeldOut;
        int holdoutPercent;
        String channel;
        Path workDir;
        Duration retention;
        long seed;
        String hyperparameters;
        String holdoutSalt;
        java.util.Set<String> labelSources;

        Builder(RetrainerSettings c) {
            kind = c.kind;
            strongModel = c.strongModel;
            weakModel = c.weakModel;
            strongShare = c.strongShare;
            minNewLabels = c.minNewLabels;
            minHeldOut = c.minHeldOut;
            holdoutPercent = c.holdoutPercent;
            channel = c.channel;
            workDir = c.workDir;
            retention = c.retention;
            seed = c.seed;
            hyperparameters = c.hyperparameters;
            holdoutSalt = c.holdoutSalt;
            labelSources = c.labelSources;
        }
    }
}
