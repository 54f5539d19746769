package io.kroute.router.encoder;

import java.util.List;

/** Turns prompts into fixed-size vectors. Implementations are thread-safe. */
public interface PromptEncoder extends AutoCloseable {

    /** Identifies the model, its tokenizer and its settings, so cached vectors of another encoder are never mixed in. */
    String id();

    int dimension();

    /** One vector per prompt, in order. */
    float[][] encode(List<String> prompts);

    default float[] encode(String prompt) {
        return encode(List.of(prompt))[0];
    }

    @Override
    default void close() {}
}
