package io.kroute.retrain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The vectors of the prompts a retrainer has seen, each encoded once however many rounds it takes part in. */
final class PromptVectors {

    private final Function<List<String>, float[][]> encoder;
    private final Map<String, float[]> vectors = new HashMap<>();

    PromptVectors(Function<List<String>, float[][]> encoder) {
        this.encoder = encoder;
    }

    /** The prompts' vectors in order, encoding those not seen before in one call. */
    float[][] of(List<String> prompts) {
        List<String> missing =
                prompts.stream().filter(p -> !vectors.containsKey(p)).distinct().toList();
        if (!missing.isEmpty()) {
            float[][] encoded = encoder.apply(missing);
            for (int i = 0; i < encoded.length; i++) {
                vectors.put(missing.get(i), encoded[i]);
            }
        }
        return prompts.stream().map(vectors::get).toArray(float[][]::new);
    }

    /** Every vector so far, by prompt (read-only). */
    Map<String, float[]> all() {
        return java.util.Collections.unmodifiableMap(vectors);
    }
}
