package io.kroute.router.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Opens a prompt encoder from a spec: what {@code --encoder} takes and what a model card's {@code encoder} holds.
 *
 * <ul>
 *   <li>{@code minilm} or {@code bge-small} (or an id starting {@code all-minilm-l6-v2-q@...} or {@code
 *       bge-small-en-v1.5-q@...}): a bundled transformer ({@link BundledModel}), {@link OnnxPromptEncoder};
 *   <li>{@code minilm-static} or {@code bge-small-static} (or an id {@code <model>@.../static-...}): its distilled
 *       token table, {@link StaticTokenEncoder};
 *   <li>{@code MODEL.onnx,TOKENIZER.json}: another ONNX sentence encoder;
 *   <li>any of these followed by {@link EndsTextEncoder#SUFFIX}: encoding a long prompt's two ends;
 *   <li>any of these followed by {@link TextFeatureEncoder#SUFFIX}: with the surface features appended.
 * </ul>
 */
public final class Encoders {

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
        boolean features = spec != null && spec.strip().endsWith(TextFeatureEncoder.SUFFIX);
        boolean ends = withoutFeatures(spec).endsWith(EndsTextEncoder.SUFFIX);
        PromptEncoder encoder = decorate.apply(open(base(spec), threads, batchSize));
        encoder = ends ? new EndsTextEncoder(encoder) : encoder;
        return features ? new TextFeatureEncoder(encoder) : encoder;
    }

    /**
     * Refuses a spec that {@link #fromSpec} would refuse, without loading anything: a command checks its {@code
     * --encoder} before it reads data.
     */
    public static void check(String spec) {
        String base = base(spec);
        if (!base.isEmpty() && BundledModel.of(base).isEmpty()) {
            files(base);
        }
    }

    /** The spec without the text-feature and the two-ends suffixes. */
    private static String base(String spec) {
        String base = withoutFeatures(spec);
        return base.endsWith(EndsTextEncoder.SUFFIX)
                ? base.substring(0, base.length() - EndsTextEncoder.SUFFIX.length())
                : base;
    }

    private static String withoutFeatures(String spec) {
        String base = spec == null ? "" : spec.strip();
        return base.endsWith(TextFeatureEncoder.SUFFIX)
                ? base.substring(0, base.length() - TextFeatureEncoder.SUFFIX.length())
                : base;
    }

    private static PromptEncoder open(String base, int threads, int batchSize) {
        if (base.isEmpty()) {
            return OnnxPromptEncoder.miniLm(threads, batchSize);
        }
        Optional<BundledModel> bundled = BundledModel.of(base);
        if (bundled.isPresent()) {
            return BundledModel.isStatic(base)
                    ? StaticTokenEncoder.of(bundled.get())
                    : OnnxPromptEncoder.bundled(bundled.get(), threads, batchSize);
        }
        Path[] files = files(base);
        return OnnxPromptEncoder.fromFiles(
                files[0], files[1], OnnxPromptEncoder.DEFAULT_MAX_TOKENS, threads, batchSize);
    }

    /** The model and tokenizer files of a {@code MODEL.onnx,TOKENIZER.json} spec, which must exist. */
    private static Path[] files(String base) {
        String[] parts = base.split(",", -1);
        if (parts.length != 2 || !parts[0].endsWith(".onnx")) {
            String names = Arrays.stream(BundledModel.values())
                    .map(m -> "'" + m.spec() + "', '" + m.staticSpec() + "'")
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("encoder must be " + names + " or 'MODEL.onnx,TOKENIZER.json', "
                    + "optionally followed by '" + TextFeatureEncoder.SUFFIX + "'; got '" + base + "'");
        }
        Path[] files = {Path.of(parts[0].strip()), Path.of(parts[1].strip())};
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("encoder file " + file + " does not exist");
            }
        }
        return files;
    }
}
