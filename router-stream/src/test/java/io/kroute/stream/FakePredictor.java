package io.kroute.stream;

import io.kroute.router.RouterInfo;
import io.kroute.router.multi.QualityPredictor;
import java.util.List;
import java.util.Map;

/**
 * A predictor for three models, big, mid and small, whose qualities a prompt's first word decides: "hard" only big
 * answers well, "medium" big and mid, "easy" all three.
 */
final class FakePredictor implements QualityPredictor {

    static final List<String> MODELS = List.of("big-model", "mid-model", "small-model");

    boolean closed;

    @Override
    public List<String> models() {
        return MODELS;
    }

    @Override
    public double[][] predict(List<String> prompts) {
        return prompts.stream().map(FakePredictor::quality).toArray(double[][]::new);
    }

    static double[] quality(String prompt) {
        if (prompt.startsWith("hard")) {
            return new double[] {9, 5, 2};
        }
        if (prompt.startsWith("medium")) {
            return new double[] {9, 8.8, 3};
        }
        return new double[] {9, 8.9, 8.8};
    }

    @Override
    public Map<String, Double> expectedOutputTokens() {
        return Map.of("big-model", 500.0, "mid-model", 400.0, "small-model", 300.0);
    }

    @Override
    public double[] qualityRange() {
        return new double[] {1, 10};
    }

    @Override
    public CalibrationSample calibrationSample() {
        return new CalibrationSample(
                new int[] {100, 100, 100, 100},
                new double[][] {quality("hard"), quality("medium"), quality("easy"), quality("easy")});
    }

    @Override
    public RouterInfo info() {
        return new RouterInfo("quality-ridge", "fake-1");
    }

    @Override
    public void close() {
        closed = true;
    }
}
