package io.kroute.router.train;

import io.kroute.router.encoder.StaticTokenEncoder;
import io.kroute.router.onnx.NeighbourSimilarity;
import io.kroute.router.onnx.OnnxGraphs;
import io.kroute.router.onnx.PromptFeatureHead;
import io.kroute.router.text.ChoiceFeatures;
import io.kroute.router.text.SurfaceFeatures;
import io.kroute.router.text.WordNgrams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Estimates the expected quality gain of the strong model over the weak one for a prompt (strong − weak score,
 * in [−1, 1]; a tie is 0) with two estimators, averaged:
 *
 * <ul>
 *   <li>a ridge regression over the prompt's hashed word unigrams and bigrams (TF-IDF, L2-normalised), its
 *       sentence vector, its surface features ({@link SurfaceFeatures}) and, for multiple-choice prompts, how
 *       confusable its options are ({@link ChoiceFeatures}). Word bigrams carry what a sentence embedding blurs:
 *       question templates, the phrasing of a multi-step word problem, negated stems;
 *   <li>the mean gain of its nearest training prompts by cosine similarity, averaged over several k: a smooth
 *       prior of the prompt's neighbourhood (topic, subject).
 * </ul>
 *
 * The score is (1 + gain) / 2, which orders prompts like {@link Classifier}'s P(strong wins) + P(tie) / 2. Trained
 * for one (strong, weak) pair, on that pair's battles. Everything is one ONNX graph ({@code ridge-knn.onnx}); the
 * in-memory head scores with the same graph, so evaluation sees exactly what serving does.
 */
public final class RidgeKnn implements TrainedHead {

    public static final String KIND = "ridge-knn";
    public static final String GRAPH = "ridge-knn.onnx";

    /**
     * @param lambda the ridge penalty on every weight (the n-gram columns are unit-norm rows)
     * @param ngramScale the n-gram part of each row is multiplied by this before the fit (0 leaves n-grams out)
     * @param embeddingScale the sentence vector's columns are multiplied by this before the fit: a smaller value
     *     penalises them more
     * @param featureScale the same for the standardised surface features
     * @param choiceScale the same for the standardised multiple-choice features (0 leaves them out)
     * @param neighbours the k values whose mean neighbour gains are averaged
     * @param knnShare the weight of the kNN estimate in the final average (0 = ridge only, 1 = kNN only)
     * @param sourceWeighting {@code none}: every training prompt counts once; {@code balanced}: every source (data
     *     set) counts as much as any other in the ridge and the kNN means, whatever its size (needs the battles'
     *     sources, {@link BattleSet#withSources})
     * @param priorScale 0: no prior. Otherwise the gain is shrunk toward a prompt-length prior (the training mean
     *     gain plus this times the standardised log length) where the prompt is unfamiliar ({@link
     *     OnnxGraphs.Familiarity})
     * @param familiarFrom the ratio of the prompt's neighbour similarity to its neighbours' own at or below which it
     *     is unfamiliar (prior only)
     * @param familiarTo the ratio at or above which it is familiar (estimate only)
     * @param familiarK how many nearest training prompts the ratio compares
     * @param clipFeatures clip each surface and multiple-choice feature to its range in training before the ridge
     *     (and the prior) use it, so a prompt unlike the training data cannot push the linear part past its edge
     * @param difficultyShare 0: every prompt's target is the pair's own gain. Otherwise, for prompts scored for many
     *     models ({@link BattleSet#meanScores}), the target moves this far toward the gain expected from how well
     *     all models did on it (a line fitted per source from mean score to the pair's gain): 1 replaces the pair's
     *     win, tie or loss on one judge call by the difficulty that many judged answers agree on
     * @param reliabilityFolds 0: familiarity alone decides how far the estimate is trusted. Otherwise (with a prior)
     *     the estimate alone (no prior) is also cross-validated on the training data in this many folds, and per
     *     source the Pearson correlation of its out-of-fold values with the targets is put on a z scale (Fisher's,
     *     times the square root of the source's prompts less 3): at most one standard error above 0, reliability
     *     0; three or more, 1; linearly between. A prompt is then trusted as much as its nearest training prompts'
     *     reliability says, and the prior speaks for the rest ({@link OnnxGraphs.Familiarity}). It asks whether
     *     the estimate beats chance on a source, not how much, so a small source needs a stronger correlation
     */
    public record Settings(
            int buckets,
            int minDf,
            double lambda,
            double ngramScale,
            double embeddingScale,
            double featureScale,
            double choiceScale,
            List<Integer> neighbours,
            double knnShare,
            int iterations,
            String sourceWeighting,
            double priorScale,
            double familiarFrom,
            double familiarTo,
            int familiarK,
            boolean clipFeatures,
            double difficultyShare,
            int reliabilityFolds) {
        public static final String NONE = "none";
        public static final String BALANCED = "balanced";

        public static Settings defaults() {
            return new Settings(
                    1 << 18,
                    3,
                    9.0,
                    1.0,
                    0.1,
                    0.1,
                    0.3,
                    List.of(50, 200),
                    0.5,
                    500,
                    NONE,
                    0,
                    0.85,
                    0.93,
                    10,
                    false,
                    0,
                    0);
        }

        /** @throws IllegalArgumentException a setting out of its range, named by its key */
        public void check() {
            if (knnShare < 0 || knnShare > 1) {
                throw new IllegalArgumentException("knn_share must be in [0, 1], got " + knnShare);
            }
            if (choiceScale < 0) {
                throw new IllegalArgumentException("choice_scale must be >= 0, got " + choiceScale);
            }
            if (neighbours.isEmpty() || neighbours.stream().anyMatch(k -> k < 1)) {
                throw new IllegalArgumentException("neighbours must be positive integers, got " + neighbours);
            }
            if (!sourceWeighting.equals(NONE) && !sourceWeighting.equals(BALANCED)) {
                throw new IllegalArgumentException(
                        "source_weighting must be 'none' or 'balanced', got '" + sourceWeighting + "'");
            }
            if (priorScale < 0 || (priorScale > 0 && (knnShare == 0 || familiarK < 1))) {
                throw new IllegalArgumentException(
                        "prior_scale must be >= 0, and a prior needs knn_share > 0 and familiar_k >= 1");
            }
            if (!(difficultyShare >= 0 && difficultyShare <= 1)) {
                throw new IllegalArgumentException("difficulty_share must be in [0, 1], got " + difficultyShare);
            }
            if (reliabilityFolds < 0
                    || reliabilityFolds == 1
                    || reliabilityFolds > 10
                    || (reliabilityFolds > 0 && priorScale == 0)) {
                throw new IllegalArgumentException(
                        "reliability_folds must be 0 or 2 to 10, and needs prior_scale > 0, got " + reliabilityFolds);
            }
            if (priorScale > 0 && !(familiarTo > familiarFrom)) {
                throw new IllegalArgumentException("familiar_to must be above familiar_from");
            }
        }

        /** The estimate alone, as the reliability folds judge it: no prior, no folds of its own. */
        Settings estimateOnly() {
            return new Settings(
                    buckets,
                    minDf,
                    lambda,
                    ngramScale,
                    embeddingScale,
                    featureScale,
                    choiceScale,
                    neighbours,
                    knnShare,
                    iterations,
                    sourceWeighting,
                    0,
                    familiarFrom,
                    familiarTo,
                    familiarK,
                    clipFeatures,
                    difficultyShare,
                    0);
        }
    }

    private final String strong;
    private final String weak;
    private final Settings settings;
    private final byte[] graph;
    private final Map<String, Object> trainingFacts;

    private RidgeKnn(String strong, String weak, Settings settings, byte[] graph, Map<String, Object> facts) {
        this.strong = strong;
        this.weak = weak;
        this.settings = settings;
        this.graph = graph;
        this.trainingFacts = facts;
    }

    public static RidgeKnn train(BattleSet data, String strong, String weak, Settings s, Consumer<String> progress) {
        s.check();
        double[] gainSum = new double[data.prompts.length];
        int[] count = new int[data.prompts.length];
        int si = data.modelIndex(strong);
        int wi = data.modelIndex(weak);
        for (int b = 0; b < data.size(); b++) {
            double strongScore = data.strongScore(b, si, wi);
            if (Double.isNaN(strongScore)) {
                continue;
            }
            gainSum[data.prompt[b]] += 2 * strongScore - 1;
            count[data.prompt[b]]++;
        }
        List<Integer> examples = new ArrayList<>();
        for (int p = 0; p < count.length; p++) {
            if (count[p] > 0) {
                examples.add(p);
            }
        }
        if (examples.size() < 2) {
            throw new IllegalArgumentException(
                    "ridge-knn needs battles between " + strong + " and " + weak + " on at least 2 prompts");
        }
        int n = examples.size();
        int d = data.dimension();
        int surface = SurfaceFeatures.COUNT;
        int f = surface + (s.choiceScale() > 0 ? ChoiceFeatures.COUNT : 0);
        float[] columnScale = new float[f];
        for (int k = 0; k < f; k++) {
            columnScale[k] = (float) (k < surface ? s.featureScale() : s.choiceScale());
        }
        WordNgrams ngrams = new WordNgrams(s.buckets());
        WordNgrams.Counts[] counts = new WordNgrams.Counts[n];
        float[][] features = new float[n][];
        double[] y = new double[n];
        int[] df = new int[s.buckets()];
        List<String> texts = examples.stream().map(data.texts::get).toList();
        float[][] choices = f > surface ? new ChoiceFeatures(StaticTokenEncoder.shared()).of(texts) : null;
        for (int i = 0; i < n; i++) {
            int p = examples.get(i);
            counts[i] = ngrams.count(texts.get(i));
            features[i] = Arrays.copyOf(SurfaceFeatures.of(texts.get(i)), f);
            if (choices != null) {
                System.arraycopy(choices[i], 0, features[i], surface, ChoiceFeatures.COUNT);
            }
            y[i] = gainSum[p] / count[p];
            for (int bucket : counts[i].buckets()) {
                df[bucket]++;
            }
        }
        int byDifficulty = s.difficultyShare() > 0 ? towardDifficulty(data, examples, y, s.difficultyShare()) : 0;
        float[] idf = new float[s.buckets()];
        for (int b = 0; b < idf.length; b++) {
            idf[b] = df[b] >= s.minDf() ? (float) Math.log((double) n / df[b]) : 0f;
        }
        double[] weights = weights(data, examples, s.sourceWeighting());
        float[] mean = new float[f];
        float[] sd = new float[f];
        standardisation(features, mean, sd);
        RidgeRegression.Row[] rows = new RidgeRegression.Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = row(counts[i], idf, data.prompts[examples.get(i)], features[i], mean, sd, columnScale, s);
        }
        progress.accept("ridge-knn: fitting the ridge regression on " + n + " prompts");
        RidgeRegression.Solution fit =
                RidgeRegression.fit(rows, y, weights, s.buckets(), d + f, s.lambda(), s.iterations());
        float[] ngramWeights = new float[s.buckets()];
        for (int b = 0; b < ngramWeights.length; b++) {
            ngramWeights[b] = (float) (fit.weights()[b] * s.ngramScale());
        }
        float[] embeddingWeights = new float[d];
        for (int k = 0; k < d; k++) {
            embeddingWeights[k] = (float) (fit.weights()[s.buckets() + k] * s.embeddingScale());
        }
        float[] featureWeights = new float[f];
        for (int k = 0; k < f; k++) {
            featureWeights[k] = (float) (fit.weights()[s.buckets() + d + k] * columnScale[k] / sd[k]);
        }
        float[] min = new float[f];
        float[] max = new float[f];
        range(features, min, max);
        List<OnnxGraphs.FeatureBlock> blocks = new ArrayList<>();
        blocks.add(clip(
                new OnnxGraphs.FeatureBlock(
                        OnnxGraphs.FEATURES, Arrays.copyOf(mean, surface), Arrays.copyOf(featureWeights, surface)),
                s.clipFeatures(),
                Arrays.copyOf(min, surface),
                Arrays.copyOf(max, surface)));
        if (f > surface) {
            blocks.add(clip(
                    new OnnxGraphs.FeatureBlock(
                            OnnxGraphs.CHOICE_FEATURES,
                            Arrays.copyOfRange(mean, surface, f),
                            Arrays.copyOfRange(featureWeights, surface, f)),
                    s.clipFeatures(),
                    Arrays.copyOfRange(min, surface, f),
                    Arrays.copyOfRange(max, surface, f)));
        }
        float[][] neighbours = new float[n][];
        float[] gains = new float[n];
        for (int i = 0; i < n; i++) {
            neighbours[i] = data.prompts[examples.get(i)];
            gains[i] = (float) y[i];
        }
        float[] neighbourWeights = null;
        if (weights != null) {
            neighbourWeights = new float[n];
            for (int i = 0; i < n; i++) {
                neighbourWeights[i] = (float) weights[i];
            }
        }
        OnnxGraphs.Familiarity familiarity = null;
        Map<String, Object> facts = new LinkedHashMap<>();
        if (s.priorScale() > 0) {
            progress.accept("ridge-knn: how close the " + n + " training prompts are to each other");
            float[] typical = NeighbourSimilarity.typical(OnnxGraphs.int8RoundTrip(neighbours), s.familiarK());
            // the prior: the mean gain, plus priorScale per standard deviation of log length (feature 0)
            float[] priorMean = new float[surface];
            float[] priorWeights = new float[surface];
            priorMean[0] = mean[0];
            priorWeights[0] = (float) (s.priorScale() / sd[0]);
            familiarity = new OnnxGraphs.Familiarity(
                    typical,
                    s.familiarK(),
                    (float) s.familiarFrom(),
                    (float) s.familiarTo(),
                    clip(
                            new OnnxGraphs.FeatureBlock(OnnxGraphs.FEATURES, priorMean, priorWeights),
                            s.clipFeatures(),
                            Arrays.copyOf(min, surface),
                            Arrays.copyOf(max, surface)),
                    (float) fit.intercept(),
                    s.reliabilityFolds() > 0 ? reliability(data, strong, weak, s, examples, y, facts, progress) : null);
            double typicalMean = 0;
            for (float t : typical) {
                typicalMean += t / n;
            }
            facts.put("typical_neighbour_similarity", typicalMean);
        }
        byte[] graph = OnnxGraphs.ridgeKnn(
                idf,
                ngramWeights,
                embeddingWeights,
                blocks,
                (float) fit.intercept(),
                (float) s.knnShare(),
                neighbours,
                gains,
                neighbourWeights,
                s.neighbours().stream().mapToInt(Integer::intValue).toArray(),
                familiarity);
        facts.put("training_prompts", n);
        if (s.difficultyShare() > 0) {
            facts.put("difficulty_prompts", byDifficulty);
        }
        facts.put("ridge_iterations", fit.iterations());
        facts.put("ridge_relative_residual", fit.relativeResidual());
        progress.accept("ridge-knn: " + fit.iterations() + " conjugate-gradient iterations, relative residual "
                + String.format("%.1e", fit.relativeResidual()));
        return new RidgeKnn(strong, weak, s, graph, facts);
    }

    /**
     * Per training prompt, how far the estimate alone beats chance on its source out of fold (see {@link
     * Settings#reliabilityFolds}); recorded per source in the facts.
     */
    private static float[] reliability(
            BattleSet data,
            String strong,
            String weak,
            Settings s,
            List<Integer> examples,
            double[] y,
            Map<String, Object> facts,
            Consumer<String> progress) {
        int n = examples.size();
        int folds = s.reliabilityFolds();
        if (n < 2 * folds) {
            throw new IllegalArgumentException("reliability_folds " + folds + " needs at least " + 2 * folds
                    + " training prompts with a battle of the pair, got " + n);
        }
        // Folds by a fixed shuffle of the prompts: the same data gives the same router.
        int[] fold = Folds.assign(n, folds, 17);
        double[] outOfFold = new double[n];
        for (int k = 0; k < folds; k++) {
            progress.accept("ridge-knn: reliability fold " + (k + 1) + " of " + folds);
            boolean[] keep = new boolean[data.texts.size()];
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fold[i] == k) {
                    held.add(i);
                } else {
                    keep[examples.get(i)] = true;
                }
            }
            RidgeKnn inner = train(data.onPrompts(keep), strong, weak, s.estimateOnly(), m -> {});
            List<String> texts =
                    held.stream().map(i -> data.texts.get(examples.get(i))).toList();
            float[][] vectors =
                    held.stream().map(i -> data.prompts[examples.get(i)]).toArray(float[][]::new);
            double[] scores = inner.score(texts, vectors, strong, weak);
            for (int j = 0; j < held.size(); j++) {
                outOfFold[held.get(j)] = scores[j];
            }
        }
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            bySource.computeIfAbsent(data.sources == null ? "" : data.sources[examples.get(i)], x -> new ArrayList<>())
                    .add(i);
        }
        float[] out = new float[n];
        Map<String, Object> perSource = new LinkedHashMap<>();
        bySource.forEach((source, rows) -> {
            String name = source.isEmpty() ? "all" : source;
            if (rows.size() <= 3) {
                perSource.put(name, rows.size() + " prompts, too few to judge: reliability 0.00");
                return;
            }
            // Clamped so a perfect correlation gives a large z, not an infinite one.
            double r = Math.max(-0.999999, Math.min(0.999999, correlation(rows, outOfFold, y)));
            double z = atanh(r) * Math.sqrt(rows.size() - 3);
            float trust = (float) Math.max(0, Math.min(1, (z - 1) / 2));
            for (int i : rows) {
                out[i] = trust;
            }
            perSource.put(name, String.format(Locale.ROOT, "r %.3f, z %.1f, reliability %.2f", r, z, trust));
        });
        facts.put("reliability", perSource);
        return out;
    }

    private static double correlation(List<Integer> rows, double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i : rows) {
            ma += a[i] / rows.size();
            mb += b[i] / rows.size();
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i : rows) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    private static double atanh(double r) {
        return 0.5 * Math.log((1 + r) / (1 - r));
    }

    /** Prompts of a source it takes to fit the line from mean score to gain. */
    private static final int DIFFICULTY_MIN_PROMPTS = 10;

    /**
     * Moves the target of every prompt with a mean score over many models toward the gain a line fitted on its
     * source's such prompts expects from that mean score. Within a source the line only rescales how hard the
     * prompts are; fitted per source, it puts that on the source's own gain scale next to the others'.
     *
     * @return how many targets moved
     */
    private static int towardDifficulty(BattleSet data, List<Integer> examples, double[] y, double share) {
        if (data.meanScores == null) {
            return 0;
        }
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            int p = examples.get(i);
            if (!Double.isNaN(data.meanScores[p])) {
                bySource.computeIfAbsent(data.sources == null ? "" : data.sources[p], k -> new ArrayList<>())
                        .add(i);
            }
        }
        int moved = 0;
        for (List<Integer> rows : bySource.values()) {
            if (rows.size() < DIFFICULTY_MIN_PROMPTS) {
                continue;
            }
            double mx = 0;
            double my = 0;
            for (int i : rows) {
                mx += data.meanScores[examples.get(i)] / rows.size();
                my += y[i] / rows.size();
            }
            double sxy = 0;
            double sxx = 0;
            for (int i : rows) {
                double dx = data.meanScores[examples.get(i)] - mx;
                sxy += dx * (y[i] - my);
                sxx += dx * dx;
            }
            if (sxx == 0) {
                continue;
            }
            double slope = sxy / sxx;
            for (int i : rows) {
                double expected = my + slope * (data.meanScores[examples.get(i)] - mx);
                y[i] = (1 - share) * y[i] + share * expected;
                moved++;
            }
        }
        return moved;
    }

    /**
     * Per training prompt: null (each counts once), or with balanced sources n / (sources · rows of its source), so
     * every source weighs the same in total and the weights average 1.
     */
    private static double[] weights(BattleSet data, List<Integer> examples, String scheme) {
        if (scheme.equals(Settings.NONE) || data.sources == null) {
            return null;
        }
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (int p : examples) {
            rows.merge(data.sources[p], 1, Integer::sum);
        }
        if (rows.size() < 2) {
            return null;
        }
        double[] w = new double[examples.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (double) examples.size() / (rows.size() * rows.get(data.sources[examples.get(i)]));
        }
        return w;
    }

    private static RidgeRegression.Row row(
            WordNgrams.Counts counts,
            float[] idf,
            float[] vector,
            float[] features,
            float[] mean,
            float[] sd,
            float[] columnScale,
            Settings s) {
        List<Integer> columns = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        double norm = 0;
        for (int k = 0; k < counts.size(); k++) {
            float v = counts.tf()[k] * idf[counts.buckets()[k]];
            if (v != 0) {
                columns.add(counts.buckets()[k]);
                values.add(v);
                norm += v * v;
            }
        }
        double scale = norm == 0 ? 0 : s.ngramScale() / Math.sqrt(norm);
        float[] vals = new float[values.size()];
        for (int k = 0; k < vals.length; k++) {
            vals[k] = (float) (values.get(k) * scale);
        }
        float[] dense = new float[vector.length + features.length];
        for (int k = 0; k < vector.length; k++) {
            dense[k] = (float) (vector[k] * s.embeddingScale());
        }
        for (int k = 0; k < features.length; k++) {
            dense[vector.length + k] = (features[k] - mean[k]) / sd[k] * columnScale[k];
        }
        return new RidgeRegression.Row(
                columns.stream().mapToInt(Integer::intValue).toArray(), vals, dense);
    }

    private static OnnxGraphs.FeatureBlock clip(OnnxGraphs.FeatureBlock block, boolean clip, float[] min, float[] max) {
        return clip ? block.clippedTo(min, max) : block;
    }

    private static void range(float[][] rows, float[] min, float[] max) {
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (float[] r : rows) {
            for (int k = 0; k < min.length; k++) {
                min[k] = Math.min(min[k], r[k]);
                max[k] = Math.max(max[k], r[k]);
            }
        }
    }

    private static void standardisation(float[][] rows, float[] mean, float[] sd) {
        int f = mean.length;
        for (float[] r : rows) {
            for (int k = 0; k < f; k++) {
                mean[k] += r[k] / rows.length;
            }
        }
        for (float[] r : rows) {
            for (int k = 0; k < f; k++) {
                sd[k] += (r[k] - mean[k]) * (r[k] - mean[k]) / rows.length;
            }
        }
        for (int k = 0; k < f; k++) {
            sd[k] = sd[k] > 1e-12 ? (float) Math.sqrt(sd[k]) : 1f;
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> models() {
        return List.of(strong, weak);
    }

    /**
     * Scores through the saved graph. A head has no close(), so the ONNX Runtime session (native memory, about the
     * size of the graph) lives for one call only: heads are scored a few times (calibration, held-out), not served.
     */
    @Override
    public double[] score(List<String> prompts, float[][] vectors, String strong, String weak) {
        if (!strong.equals(this.strong) || !weak.equals(this.weak)) {
            throw new IllegalArgumentException(
                    "ridge-knn routes only the pair it was trained on: " + this.strong + " vs " + this.weak);
        }
        try (PromptFeatureHead runner = new PromptFeatureHead(graph, new WordNgrams(settings.buckets()))) {
            return runner.score(prompts, vectors);
        }
    }

    @Override
    public String save(Path directory) throws IOException {
        Files.write(directory.resolve(GRAPH), graph);
        return GRAPH;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("ngrams", WordNgrams.VERSION);
        h.put("surface_features", SurfaceFeatures.VERSION);
        if (settings.choiceScale() > 0) {
            h.put("choice_features", ChoiceFeatures.VERSION);
        }
        h.put("buckets", settings.buckets());
        h.put("min_df", settings.minDf());
        h.put("lambda", settings.lambda());
        h.put("ngram_scale", settings.ngramScale());
        h.put("embedding_scale", settings.embeddingScale());
        h.put("feature_scale", settings.featureScale());
        h.put("choice_scale", settings.choiceScale());
        h.put("neighbours", settings.neighbours().stream().map(String::valueOf).collect(Collectors.joining("+")));
        h.put("knn_share", settings.knnShare());
        h.put("iterations", settings.iterations());
        if (!settings.sourceWeighting().equals(Settings.NONE)) {
            h.put("source_weighting", settings.sourceWeighting());
        }
        if (settings.clipFeatures()) {
            h.put("clip_features", true);
        }
        if (settings.difficultyShare() > 0) {
            h.put("difficulty_share", settings.difficultyShare());
        }
        if (settings.reliabilityFolds() > 0) {
            h.put("reliability_folds", settings.reliabilityFolds());
        }
        if (settings.priorScale() > 0) {
            h.put("prior", "log-length-v1");
            h.put("prior_scale", settings.priorScale());
            h.put("familiar_from", settings.familiarFrom());
            h.put("familiar_to", settings.familiarTo());
            h.put("familiar_k", settings.familiarK());
        }
        h.putAll(trainingFacts);
        return h;
    }
}
