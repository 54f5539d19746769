package io.kroute.router.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.router.data.Battle;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training toward how hard a prompt is for many models ({@code difficulty_share}), on synthetic prompts whose
 * difficulty is known: the pair's own win or loss carries it faintly, the mean score over six models clearly.
 */
class RidgeKnnDifficultyTest {

    private static final String S = "strong";
    private static final String W = "weak";
    private static final List<String> OTHERS = List.of("m1", "m2", "m3", "m4");
    private static final int D = 8;

    private record Prompt(String text, float[] vector, double difficulty) {}

    private static Prompt prompt(int i, Random random) {
        double difficulty = random.nextDouble();
        float[] v = new float[D];
        v[0] = (float) (2 * difficulty - 1);
        for (int k = 1; k < D; k++) {
            v[k] = (float) (0.5 * random.nextGaussian());
        }
        return new Prompt("prompt number " + i, v, difficulty);
    }

    /** Six models scored 1–10 per prompt: all do worse on harder prompts; the pair's gap is mostly noise. */
    private static List<ScoredAnswer> scored(List<Prompt> prompts, Random random) {
        List<ScoredAnswer> out = new ArrayList<>();
        for (Prompt p : prompts) {
            Map<String, Double> scores = new HashMap<>();
            scores.put(S, Math.rint(9 - 2 * p.difficulty() + random.nextGaussian()));
            scores.put(W, Math.rint(8 - 4 * p.difficulty() + 3 * random.nextGaussian()));
            for (String m : OTHERS) {
                scores.put(m, Math.rint(8 - 6 * p.difficulty() + random.nextGaussian()));
            }
            out.add(new ScoredAnswer("chat/" + p.text(), p.text(), scores));
        }
        return out;
    }

    private static double correlationWithDifficulty(String share) {
        Random random = new Random(3);
        List<Prompt> train = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            train.add(prompt(i, random));
        }
        List<ScoredAnswer> answers = scored(train, random);
        Map<String, float[]> vectors = new HashMap<>();
        train.forEach(p -> vectors.put(p.text(), p.vector()));
        List<Battle> battles = TrainingData.battles(answers);
        BattleSet set = BattleSet.of(battles, vectors)
                .withSources(t -> "chat")
                .withMeanScores(TrainingData.meanScores(answers)::get);
        Map<String, String> o = Map.of(
                "choice_scale", "0",
                "ngram_scale", "0",
                "knn_share", "0",
                "embedding_scale", "1",
                "lambda", "1",
                "difficulty_share", share);
        TrainedHead head = RouterTraining.train("ridge-knn", set, S, W, 1, o, m -> {});
        List<Prompt> held = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            held.add(prompt(1000 + i, random));
        }
        double[] scores = head.score(
                held.stream().map(Prompt::text).toList(),
                held.stream().map(Prompt::vector).toArray(float[][]::new),
                S,
                W);
        return correlation(scores, held.stream().mapToDouble(Prompt::difficulty).toArray());
    }

    @Test
    void the_many_models_mean_score_teaches_difficulty_that_the_pairs_noisy_outcome_barely_shows() {
        double pairOnly = correlationWithDifficulty("0");
        double difficulty = correlationWithDifficulty("1");

        assertThat(difficulty).isGreaterThan(0.9);
        assertThat(difficulty).isGreaterThan(pairOnly + 0.15);
    }

    @Test
    void only_prompts_scored_for_many_models_have_a_mean_score() {
        List<ScoredAnswer> answers = List.of(
                new ScoredAnswer("a/1", "two models", Map.of(S, 1.0, W, 0.0)),
                new ScoredAnswer("a/2", "five models", Map.of(S, 10.0, W, 6.0, "m1", 4.0, "m2", 2.0, "m3", 3.0)));

        Map<String, Double> means = TrainingData.meanScores(answers);

        assertThat(means).containsOnlyKeys("five models");
        assertThat(means.get("five models")).isEqualTo(5.0);
    }

    @Test
    void a_share_outside_zero_to_one_is_refused_with_its_name() {
        Random random = new Random(1);
        List<Prompt> train = List.of(prompt(0, random), prompt(1, random), prompt(2, random));
        Map<String, float[]> vectors = new HashMap<>();
        train.forEach(p -> vectors.put(p.text(), p.vector()));
        BattleSet set = BattleSet.of(TrainingData.battles(scored(train, random)), vectors);

        assertThatThrownBy(() -> RouterTraining.train(
                        "ridge-knn", set, S, W, 1, Map.of("difficulty_share", "1.5", "choice_scale", "0"), m -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("difficulty_share");
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
