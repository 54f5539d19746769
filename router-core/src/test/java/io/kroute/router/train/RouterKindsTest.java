package io.kroute.router.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.ModelCard;
import io.kroute.router.RouterLoader;
import io.kroute.router.TrainedRouter;
import io.kroute.router.data.BenchmarkData;
import io.kroute.router.eval.RoutingEvaluation;
import io.kroute.router.onnx.OnnxGraphs;
import io.kroute.router.text.ChoiceFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterKindsTest {

    private static final String S = BenchmarkData.GPT4;
    private static final String W = BenchmarkData.MIXTRAL;

    @ParameterizedTest
    @ValueSource(strings = {"mf", "classifier", "sw-ranking", "ridge-knn"})
    void each_kind_beats_random_on_held_out_prompts(String kind) throws Exception {
        MmluSlice slice = MmluSlice.get();
        TrainedHead head = RouterTraining.train(kind, slice.trainingBattles(), S, W, 7, m -> {});

        double[] scores = head.score(slice.heldOutPrompts(), slice.heldOutVectors(), S, W);

        RoutingEvaluation.Result result = RoutingEvaluation.evaluate(kind, "test", slice.heldOut, S, W, scores);
        // Random gives 0.5 and a constant score about 0.5 as well; the subject gaps in this slice are large enough
        // that a router which learned them clears 0.62 (a broken or inverted one falls to or below 0.5).
        assertThat(result.apgr()).as(kind + " APGR").isGreaterThan(0.62);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mf", "classifier", "sw-ranking", "ridge-knn"})
    void saved_router_scores_like_the_trained_one_and_loads_identically(String kind, @TempDir Path dir)
            throws Exception {
        MmluSlice slice = MmluSlice.get();
        TrainedHead head = RouterTraining.train(kind, slice.trainingBattles(), S, W, 7, m -> {});
        float[][] held = slice.heldOutVectors();
        List<String> prompts = slice.heldOutPrompts();
        double[] inMemory = head.score(prompts, held, S, W);
        save(dir, head, slice, inMemory);

        try (TrainedRouter first = TrainedRouter.load(dir);
                TrainedRouter second = (TrainedRouter) RouterLoader.load(dir.toString())) {
            double[] loaded = first.score(prompts, held);
            for (int i = 0; i < held.length; i++) {
                assertThat(loaded[i]).isCloseTo(inMemory[i], within(1e-5));
            }
            assertThat(second.score(prompts, held)).containsExactly(loaded);
            String prompt = slice.heldOut.get(0).prompt();
            assertThat(first.score(prompt)).isEqualTo(second.score(prompt));
            assertThat(first.info().kind()).isEqualTo(kind);
            double t = first.thresholdForStrongShare(0.3);
            assertThat(first.strongShareForThreshold(t)).isCloseTo(0.3, within(1e-9));
        }
        assertThat(Files.exists(dir.resolve(ModelCard.FILE))).isTrue();
    }

    @Test
    void mf_routes_any_pair_it_was_trained_on() throws Exception {
        MmluSlice slice = MmluSlice.get();
        TrainedHead head = RouterTraining.train("mf", slice.trainingBattles(), S, W, 7, m -> {});
        double[] forward = head.score(slice.heldOutPrompts(), slice.heldOutVectors(), S, W);
        double[] reverse = head.score(slice.heldOutPrompts(), slice.heldOutVectors(), W, S);
        for (int i = 0; i < forward.length; i++) {
            assertThat(forward[i] + reverse[i]).isCloseTo(1.0, within(1e-9));
        }
    }

    @Test
    void ridge_knn_reads_multiple_choice_features_unless_told_not_to(@TempDir Path dir) throws Exception {
        MmluSlice slice = MmluSlice.get();
        TrainedHead with = RouterTraining.train("ridge-knn", slice.trainingBattles(), S, W, 7, m -> {});
        TrainedHead without = RouterTraining.train(
                "ridge-knn", slice.trainingBattles(), S, W, 7, Map.of("choice_scale", "0"), m -> {});

        assertThat(with.hyperparameters()).containsEntry("choice_features", ChoiceFeatures.VERSION);
        assertThat(without.hyperparameters()).doesNotContainKey("choice_features");
        assertThat(inputs(with, dir.resolve("with"))).contains(OnnxGraphs.CHOICE_FEATURES);
        assertThat(inputs(without, dir.resolve("without"))).doesNotContain(OnnxGraphs.CHOICE_FEATURES);
        assertThat(with.score(slice.heldOutPrompts(), slice.heldOutVectors(), S, W))
                .as("the features change the scores")
                .isNotEqualTo(without.score(slice.heldOutPrompts(), slice.heldOutVectors(), S, W));
    }

    @Test
    void a_router_trained_with_other_choice_features_is_refused(@TempDir Path dir) throws Exception {
        MmluSlice slice = MmluSlice.get();
        TrainedHead head = RouterTraining.train("ridge-knn", slice.trainingBattles(), S, W, 7, m -> {});
        save(dir, head, slice, head.score(slice.heldOutPrompts(), slice.heldOutVectors(), S, W));
        Path card = dir.resolve(ModelCard.FILE);
        Files.writeString(card, Files.readString(card).replace("\"" + ChoiceFeatures.VERSION + "\"", "\"choice-v0\""));

        assertThatThrownBy(() -> TrainedRouter.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choice-v0");
    }

    /** Saves a router trained on the slice, calibrated on {@code scores}. */
    private static void save(Path dir, TrainedHead head, MmluSlice slice, double[] scores) throws Exception {
        RouterTraining.save(
                dir,
                head,
                slice.encoderId,
                S,
                W,
                List.of(new ModelCard.DataSource("mmlu-slice", slice.train.size(), "x", "Apache-2.0")),
                "test",
                scores,
                "test");
    }

    private static java.util.Set<String> inputs(TrainedHead head, Path dir) throws Exception {
        Files.createDirectories(dir);
        byte[] graph = Files.readAllBytes(dir.resolve(head.save(dir)));
        try (ai.onnxruntime.OrtSession session =
                io.kroute.router.onnx.OnnxEnvironment.get().createSession(graph)) {
            return session.getInputNames();
        }
    }
}
