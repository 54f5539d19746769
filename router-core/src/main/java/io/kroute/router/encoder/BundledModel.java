package io.kroute.router.encoder;

import java.util.Arrays;
import java.util.Optional;

/**
 * The sentence encoders that ship on the classpath (int8 ONNX graphs and their tokenizers, packaged by langchain4j),
 * by the {@code --encoder} spec that names them. Each can be run as a transformer ({@link OnnxPromptEncoder}) or
 * through its distilled static token table ({@link StaticTokenEncoder}, spec {@code <spec>-static}).
 */
public enum BundledModel {
    /** all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0): 6 layers, trained on sequences of up to 256 tokens. */
    MINILM("minilm", "all-minilm-l6-v2-q", 256),
    /** bge-small-en-v1.5 (BAAI, MIT): 12 layers, trained on sequences of up to 512 tokens. */
    BGE_SMALL("bge-small", "bge-small-en-v1.5-q", 512);

    private final String spec;
    private final String name;
    private final int maxTokens;

    BundledModel(String spec, String name, int maxTokens) {
        this.spec = spec;
        this.name = name;
        this.maxTokens = maxTokens;
    }

    /** What {@code --encoder} takes for the transformer. */
    public String spec() {
        return spec;
    }

    /** What {@code --encoder} takes for the static token table distilled from it. */
    public String staticSpec() {
        return spec + "-static";
    }

    /** The first part of every encoder id made from this model ({@code <name>@<sha>/...}). */
    public String modelName() {
        return name;
    }

    /** The longest input the transformer reads; longer prompts are cut. */
    public int maxTokens() {
        return maxTokens;
    }

    String modelResource() {
        return "/" + name + ".onnx";
    }

    String tokenizerResource() {
        return "/" + name + "-tokenizer.json";
    }

    /** The model a spec or an encoder id names, if it is a bundled one. */
    public static Optional<BundledModel> of(String specOrId) {
        return Arrays.stream(values())
                .filter(m -> specOrId.equals(m.spec)
                        || specOrId.equals(m.staticSpec())
                        || specOrId.equals(m.name)
                        || specOrId.startsWith(m.name + "@"))
                .findFirst();
    }

    /** True if {@code specOrId} names a static encoder: {@code <spec>-static} or an id {@code <name>@.../static-...}. */
    public static boolean isStatic(String specOrId) {
        return of(specOrId)
                .map(m -> specOrId.equals(m.staticSpec())
                        || (specOrId.startsWith(m.name + "@") && specOrId.contains("/static-")))
                .orElse(false);
    }
}
