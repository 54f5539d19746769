package io.kroute.router.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A static embedding distilled from a bundled sentence encoder ({@link BundledModel}: all-MiniLM-L6-v2 or
 * bge-small-en-v1.5; the Model2Vec recipe, Minish Lab 2024): each vocabulary token was run through the transformer
 * once ({@link StaticTokenTable}); a prompt is the mean of its tokens' rows (special tokens
 * excluded) minus the mean row of the table, L2-normalised. Unweighted: down-weighting frequent tokens by their
 * vocabulary rank (Model2Vec's Zipf and SIF weights) gained up to 0.009 APGR in MMLU CV but lost more on GSM8K and in
 * transfer (docs/routers.md). Costs a tokenisation and a sum, no transformer: thousands of prompts per second, and a
 * vector is a function of its text alone whatever the batch.
 *
 * <p>The table of each bundled model ships in the jar ({@link #tableResource}); without it (or if it was built from
 * another graph than the one on the classpath) the table is built once, one to two minutes on two cores, and kept in
 * {@link #tableDirectory()}.
 */
public final class StaticTokenEncoder implements PromptEncoder {

    /** Changes whenever a vector for the same text would change: table construction, quantisation or pooling. */
    public static final String RECIPE = "static-v1";

    /** A longer cap than MiniLM's 256: a token costs one row addition here. */
    public static final int DEFAULT_MAX_TOKENS = 512;

    private static final System.Logger LOG = System.getLogger(StaticTokenEncoder.class.getName());
    private static final Pattern UNUSED = Pattern.compile("\\[(PAD|CLS|SEP|MASK|unused\\d+)]");

    private final HuggingFaceTokenizer tokenizer;
    private final StaticTokenTable table;
    private final int dimension;
    private final int unknown;
    private final float[] centre;
    private final String id;

    StaticTokenEncoder(
            String modelName, StaticTokenTable table, Vocabulary vocabulary, byte[] tokenizerJson, int maxTokens) {
        if (table.rows() != vocabulary.size()) {
            throw new IllegalArgumentException(
                    "table has " + table.rows() + " rows, the tokenizer " + vocabulary.size() + " tokens");
        }
        this.table = table;
        this.dimension = table.dimension();
        this.unknown = vocabulary.unknown();
        this.centre = meanRow(table);
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(tokenizerJson),
                    Map.of(
                            "maxLength", Integer.toString(maxTokens),
                            "truncation", "true",
                            "padding", "false",
                            "addSpecialTokens", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.id = modelName + "@" + table.modelSha() + "/" + table.recipe() + "/max" + maxTokens;
    }

    /** {@link #of} the bundled MiniLM. */
    public static StaticTokenEncoder miniLm() {
        return of(BundledModel.MINILM);
    }

    /** The shipped table if it matches the bundled graph, else the one in {@link #tableDirectory()}, else built. */
    public static StaticTokenEncoder of(BundledModel model) {
        return of(model, tableDirectory(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * One process-wide {@link #miniLm()} instance, created on first use and never closed, for code that needs static
     * vectors next to a router's own encoder ({@link io.kroute.router.text.ChoiceFeatures}).
     */
    public static StaticTokenEncoder shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final StaticTokenEncoder INSTANCE = miniLm();
    }

    static StaticTokenEncoder of(BundledModel model, Path directory, int buildThreads) {
        byte[] tokenizerJson = readResource(model.tokenizerResource());
        Vocabulary vocabulary = Vocabulary.of(tokenizerJson);
        StaticTokenTable table = shippedTable(model, vocabulary).orElse(null);
        if (table == null) {
            String sha = bundledModelSha(model);
            table = loadOrBuild(
                    tableFile(directory, model, sha), sha, vocabulary, () -> buildTable(model, buildThreads));
        }
        return new StaticTokenEncoder(model.modelName(), table, vocabulary, tokenizerJson, DEFAULT_MAX_TOKENS);
    }

    /**
     * Distils the whole table of a bundled model from scratch (what {@code ops/router static-table} writes to {@link
     * #tableResource}), {@code threads} tokens at a time.
     */
    public static StaticTokenTable buildTable(BundledModel model, int threads) {
        return buildTable(model, threads, (done, total) -> {});
    }

    /** As above, reporting the tokens distilled so far out of all (every 2,048) to {@code progress}. */
    public static StaticTokenTable buildTable(
            BundledModel model, int threads, java.util.function.BiConsumer<Integer, Integer> progress) {
        Vocabulary vocabulary = Vocabulary.of(readResource(model.tokenizerResource()));
        try (OnnxPromptEncoder transformer = OnnxPromptEncoder.bundled(model, 1, OnnxPromptEncoder.EXACT)) {
            int total = (int) java.util.stream.IntStream.range(0, vocabulary.size())
                    .filter(vocabulary::distilled)
                    .count();
            return build(transformer, vocabulary, t -> true, threads, n -> progress.accept(n, total));
        }
    }

    /** Where the table distilled from {@code model} ships in the jar (gzipped). */
    public static String tableResource(BundledModel model) {
        return "/kroute/encoders/" + model.modelName() + "-" + RECIPE + ".table.gz";
    }

    /** {@code <embedding cache directory>/../static}: a sibling of the vector caches. */
    public static Path tableDirectory() {
        Path embeddings = EmbeddingCache.defaultDirectory().toAbsolutePath();
        Path parent = embeddings.getParent();
        return (parent != null ? parent : embeddings).resolve("static");
    }

    static Path tableFile(Path directory, BundledModel model, String modelSha) {
        return directory.resolve(model.modelName() + "@" + modelSha + "-" + RECIPE + ".table");
    }

    /** The table in {@code file} if it is intact and was built from this model by this recipe, else a new one. */
    static StaticTokenTable loadOrBuild(
            Path file, String modelSha, Vocabulary vocabulary, Supplier<StaticTokenTable> build) {
        if (Files.isRegularFile(file)) {
            try {
                StaticTokenTable cached = StaticTokenTable.read(file);
                if (fits(cached, modelSha, vocabulary)) {
                    return cached;
                }
                LOG.log(System.Logger.Level.WARNING, "static token table {0} is for another model, rebuilding", file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "static token table {0} is damaged ({1}), rebuilding", file, e);
            }
        }
        long start = System.nanoTime();
        LOG.log(System.Logger.Level.INFO, "building the static token table {0} (about a minute) ...", file);
        StaticTokenTable table = build.get();
        table.write(file, false);
        LOG.log(
                System.Logger.Level.INFO,
                "built the static token table in {0} s",
                String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return table;
    }

    /** Distils the tokens {@code include} selects (all real tokens for a table; a few in tests). */
    static StaticTokenTable build(
            OnnxPromptEncoder transformer,
            Vocabulary vocabulary,
            java.util.function.IntPredicate include,
            int threads) {
        return build(transformer, vocabulary, include, threads, n -> {});
    }

    private static StaticTokenTable build(
            OnnxPromptEncoder transformer,
            Vocabulary vocabulary,
            java.util.function.IntPredicate include,
            int threads,
            java.util.function.IntConsumer distilled) {
        return StaticTokenTable.build(
                transformer,
                RECIPE,
                vocabulary.size(),
                vocabulary.cls(),
                vocabulary.sep(),
                t -> vocabulary.distilled(t) && include.test(t),
                threads,
                distilled);
    }

    private static final Map<BundledModel, Optional<StaticTokenTable>> SHIPPED = new EnumMap<>(BundledModel.class);

    /**
     * The shipped table of a model, read and checked once per process (every router over that static encoder, and
     * the choice features, share it; a table is never modified), empty if it is absent or was distilled from another
     * graph.
     */
    private static synchronized Optional<StaticTokenTable> shippedTable(BundledModel model, Vocabulary vocabulary) {
        return SHIPPED.computeIfAbsent(model, m -> Optional.ofNullable(shipped(m, bundledModelSha(m), vocabulary)));
    }

    private static StaticTokenTable shipped(BundledModel model, String modelSha, Vocabulary vocabulary) {
        String resource = tableResource(model);
        try (InputStream in = StaticTokenEncoder.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            StaticTokenTable table = StaticTokenTable.read(in);
            return fits(table, modelSha, vocabulary) ? table : null;
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped static token table " + resource + " is damaged", e);
        }
    }

    private static boolean fits(StaticTokenTable table, String modelSha, Vocabulary vocabulary) {
        return table.recipe().equals(RECIPE) && table.modelSha().equals(modelSha) && table.rows() == vocabulary.size();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] encode(List<String> prompts) {
        if (prompts.isEmpty()) {
            return new float[0][];
        }
        Encoding[] encodings = prompts.size() == 1
                ? new Encoding[] {tokenizer.encode(prompts.get(0))}
                : tokenizer.batchEncode(prompts);
        float[][] out = new float[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            out[i] = pool(encodings[i].getIds());
        }
        return out;
    }

    /**
     * The mean of the distilled rows. MiniLM's token vectors share a large common direction (every pair of prompts
     * has cosine 0.8 or more); removing it, as Model2Vec's PCA does, routed better in 6 of 8 evaluations.
     */
    private static float[] meanRow(StaticTokenTable table) {
        int dimension = table.dimension();
        byte[] values = table.values();
        double[] sum = new double[dimension];
        int rows = 0;
        for (int t = 0; t < table.rows(); t++) {
            float scale = table.scale(t);
            if (scale == 0) {
                continue;
            }
            rows++;
            for (int d = 0; d < dimension; d++) {
                sum[d] += scale * values[t * dimension + d];
            }
        }
        float[] mean = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            mean[d] = (float) (sum[d] / Math.max(1, rows));
        }
        return mean;
    }

    /** Mean of the tokens' rows minus the mean row, normalised; a text without tokens is encoded as [UNK]. */
    private float[] pool(long[] tokenIds) {
        byte[] values = table.values();
        float[] sum = new float[dimension];
        int count = 0;
        for (long tokenId : tokenIds) {
            int t = (int) tokenId;
            float scale = table.scale(t);
            if (scale == 0) {
                continue;
            }
            count++;
            int offset = t * dimension;
            for (int d = 0; d < dimension; d++) {
                sum[d] += scale * values[offset + d];
            }
        }
        if (count == 0) {
            return pool(new long[] {unknown});
        }
        for (int d = 0; d < dimension; d++) {
            sum[d] = sum[d] / count - centre[d];
        }
        OnnxPromptEncoder.normalise(sum);
        return sum;
    }

    /** SHA-256 prefix of a bundled graph, read as a stream (the graph itself is not loaded). */
    static String bundledModelSha(BundledModel model) {
        try (InputStream in = OnnxPromptEncoder.resource(model.modelResource());
                DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digest.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] readResource(String name) {
        try (InputStream in = OnnxPromptEncoder.resource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** What the table needs from the tokenizer: its size, the special tokens, and which ids carry no text. */
    record Vocabulary(int size, long cls, long sep, int unknown, boolean[] placeholder) {

        static Vocabulary of(byte[] tokenizerJson) {
            try {
                JsonNode vocab =
                        new ObjectMapper().readTree(tokenizerJson).path("model").path("vocab");
                int size = vocab.size();
                boolean[] placeholder = new boolean[size];
                Iterator<Map.Entry<String, JsonNode>> tokens = vocab.fields();
                while (tokens.hasNext()) {
                    Map.Entry<String, JsonNode> token = tokens.next();
                    placeholder[token.getValue().asInt()] =
                            UNUSED.matcher(token.getKey()).matches();
                }
                return new Vocabulary(
                        size,
                        vocab.path("[CLS]").asLong(-1),
                        vocab.path("[SEP]").asLong(-1),
                        vocab.path("[UNK]").asInt(-1),
                        placeholder);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the tokenizer's vocabulary", e);
            }
        }

        /** [PAD], [CLS], [SEP], [MASK] and [unused*] keep a zero row: they never stand for prompt text. */
        boolean distilled(int tokenId) {
            return !placeholder[tokenId];
        }
    }
}
