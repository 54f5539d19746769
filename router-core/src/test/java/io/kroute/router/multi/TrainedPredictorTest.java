package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.encoder.Encoders;
import io.kroute.router.encoder.PromptEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A predictor saved as a router directory predicts through ONNX what it predicted in memory. */
class TrainedPredictorTest {

    @Test
    void a_saved_predictor_predicts_the_same_through_its_onnx_graph(@TempDir Path dir) throws Exception {
        // given heads trained on the static encoder's vectors
        List<String> prompts = List.of(
                "prove that there are infinitely many primes",
                "say hello",
                "write a haiku about rain",
                "implement a red-black tree in rust",
                "what is 2 + 2",
                "explain quantum field theory to a physicist");
        double[][] quality = {{9, 4}, {9, 9}, {8, 8}, {9, 3}, {9, 9}, {9, 5}};
        try (PromptEncoder encoder = Encoders.fromSpec("minilm-static", 1, 1)) {
            float[][] x = encoder.encode(prompts);
            RidgeQuality heads = RidgeQuality.train(List.of("big", "small"), x, quality, 1.0, 0, 1);
            TrainedPredictor.save(
                    dir,
                    heads,
                    encoder.id(),
                    new double[] {500, 300},
                    new double[] {1, 10},
                    List.of(),
                    "quality-ridge-test",
                    new int[] {10, 3, 5, 9, 4, 8},
                    heads.predict(x),
                    "test");
            // when
            try (TrainedPredictor loaded = TrainedPredictor.load(dir)) {
                double[][] viaOnnx = loaded.predict(prompts);
                double[][] inMemory = heads.predict(x);
                // then
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(viaOnnx[i][0]).isCloseTo(inMemory[i][0], within(1e-3));
                    assertThat(viaOnnx[i][1]).isCloseTo(inMemory[i][1], within(1e-3));
                }
                assertThat(loaded.models()).containsExactly("big", "small");
                assertThat(loaded.expectedOutputTokens()).containsEntry("small", 300.0);
                assertThat(loaded.calibrationSample().promptTokens()).hasSize(6);
                assertThat(TrainedPredictor.isPredictor(dir)).isTrue();
            }
        }
    }

    @Test
    void its_heads_read_back_from_the_graph_are_the_heads_it_was_saved_with(@TempDir Path dir) throws Exception {
        // given heads saved as a predictor directory
        List<String> prompts = List.of("prove a theorem", "say hello", "write a haiku", "sort a list in rust");
        try (PromptEncoder encoder = Encoders.fromSpec("minilm-static", 1, 1)) {
            float[][] x = encoder.encode(prompts);
            RidgeQuality heads = RidgeQuality.train(
                    List.of("big", "small"), x, new double[][] {{9, 4}, {9, 9}, {8, 8}, {9, 3}}, 1.0, 0, 1);
            TrainedPredictor.save(
                    dir,
                    heads,
                    encoder.id(),
                    new double[] {5, 3},
                    new double[] {1, 10},
                    List.of(),
                    "v",
                    new int[] {3, 2, 3, 4},
                    heads.predict(x),
                    "test");
            try (TrainedPredictor loaded = TrainedPredictor.load(dir)) {
                // when
                RidgeQuality read = loaded.heads(x[0].length);
                // then: the same predictions, and a correction moves only the model it names
                double[][] expected = heads.predict(x);
                double[][] actual = read.predict(loaded.encode(prompts));
                for (int i = 0; i < prompts.size(); i++) {
                    assertThat(actual[i][0]).isCloseTo(expected[i][0], within(1e-3));
                    assertThat(actual[i][1]).isCloseTo(expected[i][1], within(1e-3));
                }
                RidgeQuality correction = RidgeQuality.of(
                        List.of("small"), new float[][] {new float[x[0].length]}, new float[] {2f}, 1, 0);
                double[][] corrected = read.plus(correction).predict(x);
                assertThat(corrected[0][0]).isCloseTo(expected[0][0], within(1e-3));
                assertThat(corrected[0][1]).isCloseTo(expected[0][1] + 2, within(1e-3));
                assertThatThrownBy(() -> read.plus(RidgeQuality.of(
                                List.of("other"), new float[][] {new float[x[0].length]}, new float[] {1f}, 1, 0)))
                        .hasMessageContaining("'other'");
            }
        }
    }

    @Test
    void a_damaged_calibration_sample_is_one_line(@TempDir Path dir) throws Exception {
        // given a predictor directory whose sample has a row of the wrong width
        try (PromptEncoder encoder = Encoders.fromSpec("minilm-static", 1, 1)) {
            List<String> prompts = List.of("a", "bb", "ccc");
            float[][] x = encoder.encode(prompts);
            RidgeQuality heads =
                    RidgeQuality.train(List.of("big", "small"), x, new double[][] {{9, 4}, {9, 9}, {8, 3}}, 1.0, 0, 1);
            TrainedPredictor.save(
                    dir,
                    heads,
                    encoder.id(),
                    new double[] {5, 3},
                    new double[] {1, 10},
                    List.of(),
                    "v",
                    new int[] {1, 1, 1},
                    heads.predict(x),
                    "test");
        }
        Files.writeString(dir.resolve(TrainedPredictor.SAMPLE), "{\"prompt_tokens\": [1], \"quality\": [[1, 2, 3]]}");
        assertThatThrownBy(() -> TrainedPredictor.load(dir))
                .hasMessageContaining("must have 2 qualities")
                .hasMessageNotContaining("\n");
        // and one that is not JSON at all
        Files.writeString(dir.resolve(TrainedPredictor.SAMPLE), "not json");
        assertThatThrownBy(() -> TrainedPredictor.load(dir)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void a_two_model_router_or_a_missing_directory_is_refused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TrainedPredictor.load(dir.resolve("none").toString()))
                .hasMessageContaining("predictor directory or classpath:BASE");
        Files.writeString(dir.resolve("model-card.json"), "{\"kind\": \"mf\", \"version\": \"mf-1\"}");
        assertThatThrownBy(() -> TrainedPredictor.load(dir)).hasMessageContaining("not a performance predictor");
    }

    @Test
    void a_predictor_where_a_strong_weak_router_is_expected_is_refused_by_name() {
        assertThatThrownBy(() -> io.kroute.router.TrainedRouter.loadResource("kroute/routers/arena-predictor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a performance predictor for many models")
                .hasMessageContaining("kroute.models");
    }
}
