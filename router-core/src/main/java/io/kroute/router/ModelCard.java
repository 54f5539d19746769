package io.kroute.router;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What a trained router directory says about itself ({@value #FILE}): kind, version, encoder, models, the pair it
 * routes by default, the head file, the training data and its hash, calibration quantiles and evaluation metrics.
 *
 * @param headOutput for kind {@code onnx}: the graph output holding the probability
 * @param textInput for kind {@code onnx} only: the graph takes token ids from this tokenizer instead of the vector
 * @param outputTokens for a performance predictor: each model's mean answer length in tokens in the training data,
 *     what the cost-aware selector expects a call to produce
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        String kind,
        String version,
        String encoder,
        List<String> models,
        String strong,
        String weak,
        String head,
        String headOutput,
        List<DataSource> trainingData,
        String trainingDataSha256,
        Map<String, Object> hyperparameters,
        Calibration calibration,
        Map<String, Object> metrics,
        String notes,
        TextInput textInput,
        Map<String, Double> outputTokens) {

    public static final String FILE = "model-card.json";

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One training source: a data set name or file, its row count, and the SHA-256 of its prompts and labels. */
    public record DataSource(String name, int rows, String sha256, String licence) {}

    /**
     * Score quantiles at 0, 1, …, 100 percent on a calibration sample.
     *
     * @param sample what the sample was, e.g. {@code arena+gsm8k+mmlu (training prompts)}
     */
    public record Calibration(String sample, int size, double[] quantiles) {}

    /**
     * A graph over tokens (e.g. a fine-tuned BERT classifier exported to ONNX): inputs {@code input_ids},
     * {@code attention_mask} and optionally {@code token_type_ids}, int64 [N, T].
     *
     * @param tokenizer the HuggingFace {@code tokenizer.json} file in the router directory
     */
    public record TextInput(String tokenizer, int maxTokens) {}

    /** A card without per-model answer lengths (every kind but a performance predictor). */
    public ModelCard(
            String kind,
            String version,
            String encoder,
            List<String> models,
            String strong,
            String weak,
            String head,
            String headOutput,
            List<DataSource> trainingData,
            String trainingDataSha256,
            Map<String, Object> hyperparameters,
            Calibration calibration,
            Map<String, Object> metrics,
            String notes,
            TextInput textInput) {
        this(
                kind,
                version,
                encoder,
                models,
                strong,
                weak,
                head,
                headOutput,
                trainingData,
                trainingDataSha256,
                hyperparameters,
                calibration,
                metrics,
                notes,
                textInput,
                null);
    }

    public ModelCard withCalibration(Calibration c) {
        return new ModelCard(
                kind,
                version,
                encoder,
                models,
                strong,
                weak,
                head,
                headOutput,
                trainingData,
                trainingDataSha256,
                hyperparameters,
                c,
                metrics,
                notes,
                textInput,
                outputTokens);
    }

    public ModelCard withMetrics(Map<String, Object> m) {
        return new ModelCard(
                kind,
                version,
                encoder,
                models,
                strong,
                weak,
                head,
                headOutput,
                trainingData,
                trainingDataSha256,
                hyperparameters,
                calibration,
                m,
                notes,
                textInput,
                outputTokens);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelCard fromJson(byte[] json) {
        try {
            return JSON.readValue(json, ModelCard.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a router model card: " + e.getMessage(), e);
        }
    }
}
