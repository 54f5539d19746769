package io.kroute.router.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Opens a prompt encoder from a spec: what {@code --encoder} takes and what a model card's {@code encoder} holds.
 *
 * <ul>
 *   <li>{@code minilm} (or an id starting {@code all-minilm-l6-v2-q@...}): the bundled MiniLM, {@link
 *       OnnxPromptEncoder};
 *   <li>{@code minilm-static} (or an id {@code all-minilm-l6-v2-q@.../static-...}): {@link StaticTokenEncoder};
 *   <li>{@code MODEL.onnx,TOKENIZER.json}: another ONNX sentence encoder;
 *   <li>any of these followed by {@link TextFeatureEncoder#SUFFIX}: with the surface features appended.
 * </ul>
 */
public final class Encoders {

    private static final String MINILM_ID = "all-minilm-l6-v2-q";

    private Encoders() {}

    public static PromptEncoder fromSpec(String spec, int threads, int batchSize) {
        return fromSpec(spec, threads, batchSize, UnaryOperator.identity());
    }

    /**
     * As {@link #fromSpec(String, int, int)}, with {@code decorate} applied to the base encoder before the text
     * features are appended (the CLI puts its vector cache there, so the cache is shared with and without features).
     */
    public static PromptEncoder fromSpec(
            String spec, int threads, int batchSize, UnaryOperator<PromptEncoder> decorate) {
        String base = spec == null ? "" : spec.strip();
        boolean features = base.endsWith(TextFeatureEncoder.SUFFIX);
        if (features) {
            base = base.substring(0, base.length() - TextFeatureEncoder.SUFFIX.length());
        }
        PromptEncoder encoder = decorate.apply(open(base, threads, batchSize));
        return features ? new TextFeatureEncoder(encoder) : encoder;
    }

    /** True for specs and ids of the static encoder. */
    public static boolean isStatic(String spec) {
        return spec.equals(StaticTokenEncoder.SPEC) || (spec.startsWith(MINILM_ID + "@") && spec.contains("/static-"));
    }

    private static PromptEncoder open(String base, int threads, int batchSize) {
        if (isStatic(base)) {
            return StaticTokenEncoder.miniLm();
        }
        if (base.isEmpty() || base.equals("minilm") || base.startsWith(MINILM_ID + "@") || base.equals(MINILM_ID)) {
            return OnnxPromptEncoder.miniLm(threads, batchSize);
        }
        String[] parts = base.split(",", -1);
        if (parts.length != 2 || !parts[0].endsWith(".onnx")) {
            throw new IllegalArgumentException("encoder must be 'minilm', '" + StaticTokenEncoder.SPEC
                    + "' or 'MODEL.onnx,TOKENIZER.json', optionally followed by '" + TextFeatureEncoder.SUFFIX
                    + "'; got '" + base + "'");
        }
        Path model = Path.of(parts[0].strip());
        Path tokenizer = Path.of(parts[1].strip());
        for (Path file : new Path[] {model, tokenizer}) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("encoder file " + file + " does not exist");
            }
        }
        return OnnxPromptEncoder.fromFiles(model, tokenizer, OnnxPromptEncoder.DEFAULT_MAX_TOKENS, threads, batchSize);
    }
}
