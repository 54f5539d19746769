package io.kroute.router.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.data.Battle;
import io.kroute.router.onnx.NeighbourSimilarity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Source weighting and the familiarity prior of ridge-knn, on small synthetic data. */
class RidgeKnnPriorTest {

    private static final String S = "strong";
    private static final String W = "weak";
    private static final int D = 16;

    /**
     * 300 prompts of a large source where the weak model always wins, 30 of a small one where the strong one does.
     */
    private static BattleSet twoSources(Map<String, float[]> vectors) {
        Random random = new Random(5);
        List<Battle> battles = new ArrayList<>();
        Map<String, String> source = new HashMap<>();
        for (int i = 0; i < 330; i++) {
            // one template for both sources, lengths varying within each, so only the source tells the labels apart
            boolean big = i % 11 != 0;
            String prompt = "a question " + "about apples ".repeat(i % 7) + "number " + i;
            vectors.put(prompt, unit(random));
            source.put(prompt, big ? "big" : "small");
            battles.add(new Battle(prompt, S, W, big ? Battle.Outcome.MODEL_B : Battle.Outcome.MODEL_A));
        }
        return BattleSet.of(battles, vectors).withSources(source::get);
    }

    private static float[] unit(Random random) {
        float[] v = new float[D];
        double norm = 0;
        for (int k = 0; k < D; k++) {
            v[k] = (float) random.nextGaussian();
            norm += v[k] * v[k];
        }
        for (int k = 0; k < D; k++) {
            v[k] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static double[] score(BattleSet set, Map<String, String> settings, List<String> prompts) {
        Map<String, String> o = new HashMap<>(Map.of("choice_scale", "0", "neighbours", "5+20"));
        o.putAll(settings);
        TrainedHead head = RouterTraining.train("ridge-knn", set, S, W, 1, o, m -> {});
        Random random = new Random(9);
        float[][] vectors = prompts.stream().map(p -> unit(random)).toArray(float[][]::new);
        return head.score(prompts, vectors, S, W);
    }

    private static final List<String> NEW_PROMPTS = List.of(
            "a new prompt of some length here",
            "a new prompt of a somewhat longer length here",
            "a new prompt of the longest length of all three here");

    @Test
    void where_every_prompt_is_unfamiliar_the_score_is_the_length_prior_around_the_mean_gain() {
        BattleSet set = twoSources(new HashMap<>());
        Map<String, String> unfamiliar = Map.of("prior_scale", "0.05", "familiar_from", "5", "familiar_to", "6");

        double[] plain = score(set, unfamiliar, NEW_PROMPTS);
        double[] balanced = score(
                set,
                Map.of("prior_scale", "0.05", "familiar_from", "5", "familiar_to", "6", "source_weighting", "balanced"),
                NEW_PROMPTS);

        // longer prompts go to the strong model first, and nothing else moves the score
        assertThat(plain[0]).isLessThan(plain[1]);
        assertThat(plain[1]).isLessThan(plain[2]);
        // the prior is centred on the training mean gain: (−300 + 30) / 330 unweighted, 0 with balanced sources
        double mean = (plain[0] + plain[1] + plain[2]) / 3;
        assertThat(mean).isCloseTo((1 - 270.0 / 330) / 2, within(0.05));
        assertThat((balanced[0] + balanced[1] + balanced[2]) / 3).isCloseTo(0.5, within(0.05));
        assertThat(balanced[2] - balanced[0]).isCloseTo(plain[2] - plain[0], within(1e-4));
    }

    @Test
    void where_every_prompt_is_familiar_the_prior_changes_nothing() {
        BattleSet set = twoSources(new HashMap<>());

        double[] without = score(set, Map.of(), NEW_PROMPTS);
        double[] familiar =
                score(set, Map.of("prior_scale", "0.05", "familiar_from", "-2", "familiar_to", "-1"), NEW_PROMPTS);

        for (int i = 0; i < without.length; i++) {
            assertThat(familiar[i]).isCloseTo(without[i], within(1e-5));
        }
    }

    @Test
    void balanced_sources_let_the_small_source_count_as_much_as_the_large_one() {
        BattleSet set = twoSources(new HashMap<>());

        double plain = mean(score(set, Map.of("clip_features", "true"), NEW_PROMPTS));
        double balanced =
                mean(score(set, Map.of("clip_features", "true", "source_weighting", "balanced"), NEW_PROMPTS));

        assertThat(plain).isLessThan(0.25);
        assertThat(balanced).isGreaterThan(plain + 0.2);
    }

    @Test
    void clipped_features_keep_a_prompt_unlike_the_training_data_from_extrapolating_the_ridge() {
        BattleSet set = twoSources(new HashMap<>());

        // The new prompts have no number, every training prompt has one: unclipped, the surface features' weights,
        // fitted to noise, send the ridge past the edge of [0, 1]; clipped, it stays near the training mean gain.
        double[] unclipped = score(set, Map.of("knn_share", "0"), NEW_PROMPTS);
        double[] clipped = score(set, Map.of("knn_share", "0", "clip_features", "true"), NEW_PROMPTS);

        assertThat(mean(unclipped)).isGreaterThan(0.9);
        assertThat(mean(clipped)).isCloseTo((1 - 270.0 / 330) / 2, within(0.05));
    }

    @Test
    void a_bad_setting_is_refused_with_its_name() {
        BattleSet set = twoSources(new HashMap<>());

        for (Map.Entry<Map<String, String>, String> bad : Map.of(
                        Map.of("source_weighting", "equal"), "source_weighting",
                        Map.of("prior_scale", "-1"), "prior_scale",
                        Map.of("prior_scale", "0.3", "knn_share", "0"), "knn_share",
                        Map.of("prior_scale", "0.3", "familiar_from", "0.9", "familiar_to", "0.9"), "familiar_to",
                        Map.of("clip_features", "yes"), "clip_features")
                .entrySet()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> score(set, bad.getKey(), NEW_PROMPTS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void typical_similarity_is_the_mean_similarity_of_the_nearest_other_vectors() {
        float[][] vectors = {{1, 0}, {0.8f, 0.6f}, {0, 1}};

        float[] typical = NeighbourSimilarity.typical(vectors, 1);

        assertThat(typical[0]).isCloseTo(0.8f, within(1e-6f));
        assertThat(typical[1]).isCloseTo(0.8f, within(1e-6f));
        assertThat(typical[2]).isCloseTo(0.6f, within(1e-6f));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
