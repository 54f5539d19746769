package io.kroute.router.data;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The benchmark prompts kept out of the shipped routers' training so the demo replays prompts they never saw: its PGR
 * and savings are out of sample. Chosen by a hash of the prompt text (the replay data and the training data name items
 * differently, but agree on the text): 40% of GSM8K by the hash (492 of its 1,307 questions, enough for the demo's default
 * run), 10% of MMLU (1,430). Other sources are not replayed by the demo and keep everything.
 */
public final class DemoHoldout {

    /** The Arena prompts the many-model demo replays: kept out of the shipped performance predictor's training. */
    public static final String MANY_MODELS = "arena-models";

    private DemoHoldout() {}

    /** The share of a benchmark's prompts reserved for the demo, in percent. */
    public static int percent(String benchmark) {
        return switch (benchmark) {
            case "gsm8k" -> 40;
            case "mmlu" -> 10;
                // the many-model demo's Arena prompts; apart from "arena", which the two-model presets train on whole
            case MANY_MODELS -> 40;
            default -> 0;
        };
    }

    /** Whether the demo may replay this prompt (and so no shipped router may train on it). */
    public static boolean reserved(String benchmark, String prompt) {
        int percent = percent(benchmark);
        if (percent == 0) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(("demo-holdout:" + prompt).getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < percent;
    }
}
