package io.kroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.encoder.OnnxPromptEncoder;
import io.kroute.router.onnx.OnnxGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BringYourOwnOnnxTest {

    @Test
    void a_user_graph_over_the_prompt_vector_is_loaded_by_path_and_scores_as_written(@TempDir Path dir)
            throws Exception {
        // given a logistic regression on the first embedding component, exported as any ONNX graph would be
        float[] weights = new float[384];
        weights[0] = 3f;
        Files.write(dir.resolve("user.onnx"), OnnxGraphs.logisticRegression(weights, 0.25f));
        String encoderId;
        float[] vector;
        try (OnnxPromptEncoder encoder = OnnxPromptEncoder.miniLm(2)) {
            encoderId = encoder.id();
            vector = encoder.encode("Prove that there are infinitely many primes.");
        }
        ModelCard card = new ModelCard(
                "onnx",
                "user-1",
                encoderId,
                List.of("strong", "weak"),
                "strong",
                "weak",
                "user.onnx",
                "probability",
                List.of(),
                "none",
                Map.of(),
                null,
                Map.of(),
                "test",
                null);
        Files.write(dir.resolve(ModelCard.FILE), card.toJson());

        // when
        try (Router router = RouterLoader.load(dir.toString())) {
            // then
            double expected = 1 / (1 + Math.exp(-(3.0 * vector[0] + 0.25)));
            assertThat(router.score("Prove that there are infinitely many primes."))
                    .isCloseTo(expected, within(1e-5));
            assertThat(router.info()).isEqualTo(new RouterInfo("onnx", "user-1"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.thresholdForStrongShare(0.5))
                    .hasMessageContaining("no calibration");
        }
    }

    @Test
    void a_user_graph_over_token_ids_is_loaded_with_its_tokenizer(@TempDir Path dir) throws Exception {
        // given a graph that reads input_ids/attention_mask, as an exported BERT classifier would, and its tokenizer
        Files.write(dir.resolve("bert.onnx"), OnnxGraphs.tokenCountLogistic(0.1f, -2f));
        try (var tokenizer = getClass().getResourceAsStream(OnnxPromptEncoder.MINILM_TOKENIZER_RESOURCE)) {
            Files.copy(tokenizer, dir.resolve("tokenizer.json"));
        }
        ModelCard card = new ModelCard(
                "onnx",
                "bert-1",
                "none",
                List.of("strong", "weak"),
                "strong",
                "weak",
                "bert.onnx",
                "probability",
                List.of(),
                "none",
                Map.of(),
                null,
                Map.of(),
                "test",
                new ModelCard.TextInput("tokenizer.json", 64));
        Files.write(dir.resolve(ModelCard.FILE), card.toJson());
        String prompt = "Write a haiku about routers";
        long tokens;
        try (var tokenizer =
                ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"))) {
            tokens = tokenizer.encode(prompt).getIds().length;
        }

        // when
        try (Router router = RouterLoader.load(dir.toString())) {
            // then: [CLS] + word pieces + [SEP], through the user's weights; 64-token truncation applies
            assertThat(router.score(prompt)).isCloseTo(1 / (1 + Math.exp(-(0.1 * tokens - 2))), within(1e-6));
            assertThat(router.score("word ".repeat(500))).isCloseTo(1 / (1 + Math.exp(-(0.1 * 64 - 2))), within(1e-6));
            assertThat(router.scoreBatch(List.of(prompt, prompt))).hasSize(2);
        }
    }
}
