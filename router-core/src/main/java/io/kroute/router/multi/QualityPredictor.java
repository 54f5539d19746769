package io.kroute.router.multi;

import io.kroute.router.RouterInfo;
import java.util.List;
import java.util.Map;

/**
 * Routoo's performance predictor: for a prompt, the quality each known model's answer would have, without calling
 * any of them. Thread-safe and deterministic, like a {@link io.kroute.router.Router}.
 */
public interface QualityPredictor extends AutoCloseable {

    /** The models it predicts, in the order of each prediction's columns. */
    List<String> models();

    /** [prompt][model] predicted quality, on the scale of the data it was trained on. */
    double[][] predict(List<String> prompts);

    /** Each model's mean answer length in tokens in the training data; a model without one is absent. */
    Map<String, Double> expectedOutputTokens();

    /** The lowest and highest quality in the training data: {@code [min, max]}. */
    double[] qualityRange();

    /**
     * Predictions on a calibration sample (the training prompts) with their estimated prompt tokens: what a target
     * average cost is calibrated on.
     */
    CalibrationSample calibrationSample();

    RouterInfo info();

    @Override
    default void close() {}

    /** @param quality [prompt][model] predicted, in {@link #models()} order */
    record CalibrationSample(int[] promptTokens, double[][] quality) {}
}
