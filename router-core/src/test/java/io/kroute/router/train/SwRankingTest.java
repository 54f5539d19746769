package io.kroute.router.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.data.Battle;
import io.kroute.router.data.Battle.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwRankingTest {

    private static final String S = "strong";
    private static final String W = "weak";

    /**
     * One training prompt sits exactly on the query and the strong model won it; ten unrelated prompts (cosine 0) were
     * all won by the weak model. RouteLLM's weighting gives the near prompt 10^2 against 10 x 10^1, a draw; the default
     * sharpness trusts the near prompt.
     */
    private static BattleSet nearWinFarLosses() {
        List<Battle> battles = new ArrayList<>();
        Map<String, float[]> vectors = new HashMap<>();
        vectors.put("near", new float[] {1, 0});
        battles.add(new Battle("near", S, W, Outcome.MODEL_A));
        for (int i = 0; i < 10; i++) {
            vectors.put("far " + i, new float[] {0, 1});
            battles.add(new Battle("far " + i, S, W, Outcome.MODEL_B));
        }
        return BattleSet.of(battles, vectors);
    }

    private static double scoreOnTheNearPrompt(SwRanking router) {
        return router.score(List.of("query"), new float[][] {{1, 0}}, S, W)[0];
    }

    @Test
    void routellm_weighting_lets_the_many_unrelated_battles_cancel_the_nearest_one() {
        double score = scoreOnTheNearPrompt(SwRanking.train(nearWinFarLosses(), SwRanking.ROUTELLM_SHARPNESS));

        assertThat(score).isBetween(0.4, 0.6);
    }

    @Test
    void default_sharpness_follows_the_nearest_battle() {
        SwRanking router = (SwRanking) RouterTraining.train(SwRanking.KIND, nearWinFarLosses(), S, W, 1, m -> {});

        assertThat(scoreOnTheNearPrompt(router)).isGreaterThan(0.95);
        assertThat(router.hyperparameters()).containsEntry("sharpness", SwRanking.DEFAULT_SHARPNESS);
    }

    @Test
    void a_prompt_like_the_weak_models_wins_scores_low_at_either_sharpness() {
        for (double sharpness : new double[] {SwRanking.ROUTELLM_SHARPNESS, SwRanking.DEFAULT_SHARPNESS}) {
            SwRanking router = SwRanking.train(nearWinFarLosses(), sharpness);

            double score = router.score(List.of("query"), new float[][] {{0, 1}}, S, W)[0];

            assertThat(score).as("sharpness " + sharpness).isLessThan(0.2);
        }
    }
}
