package io.kroute.router.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.data.Battle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code reliability_folds}: trusting the estimate only near training prompts of sources where it ranked prompts
 * better than chance out of fold. Two synthetic sources in two regions of the vector space: on "math" the winner
 * follows one coordinate of the vector (learnable), on "chat" it is a coin (nothing to learn).
 */
class RidgeKnnReliabilityTest {

    private static final String S = "strong";
    private static final String W = "weak";
    private static final int D = 8;

    private record Prompt(String text, float[] vector, boolean strongWins) {}

    private static Prompt prompt(String source, int i, Random random) {
        float[] v = new float[D];
        v[0] = source.equals("math") ? 1f : -1f;
        for (int k = 1; k < D; k++) {
            v[k] = (float) (0.4 * random.nextGaussian());
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int k = 0; k < D; k++) {
            v[k] /= (float) Math.sqrt(norm);
        }
        boolean strongWins = source.equals("math") ? v[1] > 0 : random.nextBoolean();
        // lengths vary within both sources, so the length prior has something to say everywhere
        String text = source + " prompt " + "with more words ".repeat(i % 9) + "number " + i;
        return new Prompt(text, v, strongWins);
    }

    private static TrainedHead train(String folds) {
        Random random = new Random(11);
        List<Battle> battles = new ArrayList<>();
        Map<String, float[]> vectors = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (String source : List.of("math", "chat")) {
            for (int i = 0; i < 200; i++) {
                Prompt p = prompt(source, i, random);
                vectors.put(p.text(), p.vector());
                sources.put(p.text(), source);
                battles.add(
                        new Battle(p.text(), S, W, p.strongWins() ? Battle.Outcome.MODEL_A : Battle.Outcome.MODEL_B));
                if (i % 4 == 0) {
                    // prompts only other models met, among the pair's: training prompts and the set's prompts are
                    // then numbered differently, as in real data
                    Prompt other = prompt(source, 5000 + i, random);
                    vectors.put(other.text(), other.vector());
                    sources.put(other.text(), source);
                    battles.add(new Battle(other.text(), "m1", "m2", Battle.Outcome.TIE));
                }
            }
        }
        BattleSet set = BattleSet.of(battles, vectors).withSources(sources::get);
        Map<String, String> o = new HashMap<>(Map.of(
                "choice_scale", "0",
                "ngram_scale", "0",
                "embedding_scale", "1",
                "lambda", "1",
                "neighbours", "5+20",
                "prior_scale", "0.3",
                "familiar_from", "0.5",
                "familiar_to", "0.6"));
        o.put("reliability_folds", folds);
        return RouterTraining.train("ridge-knn", set, S, W, 1, o, m -> {});
    }

    private static double[] score(TrainedHead head, List<Prompt> prompts) {
        return head.score(
                prompts.stream().map(Prompt::text).toList(),
                prompts.stream().map(Prompt::vector).toArray(float[][]::new),
                S,
                W);
    }

    /** New prompts of one source, all of one text length: only the vector can tell them apart. */
    private static List<Prompt> fresh(String source) {
        Random random = new Random(23);
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Prompt p = prompt(source, 1000 + i, random);
            out.add(new Prompt(source + " prompt of one length, number " + (1000 + i), p.vector(), p.strongWins()));
        }
        return out;
    }

    @Test
    void near_a_source_it_could_not_rank_the_prior_speaks_and_near_one_it_could_the_estimate_does() {
        TrainedHead trusting = train("0");
        TrainedHead reliable = train("5");

        // then: the card says what it found per source
        @SuppressWarnings("unchecked")
        Map<String, String> found =
                (Map<String, String>) reliable.hyperparameters().get("reliability");
        assertThat(found.get("math")).endsWith("reliability 1.00");
        assertThat(found.get("chat")).endsWith("reliability 0.00");
        assertThat(reliable.hyperparameters()).containsEntry("reliability_folds", 5);

        // chat prompts of one length get one score, the prior's; without reliability the noise they were fitted on
        // still spreads them
        double[] chat = score(reliable, fresh("chat"));
        for (double s : chat) {
            assertThat(s).isCloseTo(chat[0], within(1e-6));
        }
        assertThat(spread(score(trusting, fresh("chat")))).isGreaterThan(0.01);

        // math prompts are still ranked by what was learned: the strong model's wins score higher
        List<Prompt> math = fresh("math");
        double[] scores = score(reliable, math);
        double wins = 0;
        double losses = 0;
        for (int i = 0; i < math.size(); i++) {
            if (math.get(i).strongWins()) {
                wins += scores[i];
            } else {
                losses += scores[i];
            }
        }
        long nWins = math.stream().filter(Prompt::strongWins).count();
        assertThat(wins / nWins).isGreaterThan(losses / (math.size() - nWins) + 0.2);
    }

    @Test
    void reliability_needs_a_prior_a_sensible_number_of_folds_and_enough_prompts() {
        Random random = new Random(1);
        List<Battle> battles = new ArrayList<>();
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Prompt p = prompt("math", i, random);
            vectors.put(p.text(), p.vector());
            battles.add(new Battle(p.text(), S, W, p.strongWins() ? Battle.Outcome.MODEL_A : Battle.Outcome.MODEL_B));
        }
        BattleSet set = BattleSet.of(battles, vectors);

        assertThatThrownBy(() -> RouterTraining.train(
                        "ridge-knn", set, S, W, 1, Map.of("choice_scale", "0", "reliability_folds", "5"), m -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reliability_folds");
        assertThatThrownBy(() -> RouterTraining.train(
                        "ridge-knn",
                        set,
                        S,
                        W,
                        1,
                        Map.of("choice_scale", "0", "prior_scale", "0.3", "reliability_folds", "1"),
                        m -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reliability_folds");
        for (String folds : List.of("-1", "11")) {
            assertThatThrownBy(() -> RouterTraining.train(
                            "ridge-knn",
                            set,
                            S,
                            W,
                            1,
                            Map.of("choice_scale", "0", "prior_scale", "0.3", "reliability_folds", folds),
                            m -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reliability_folds");
        }
        BattleSet few = BattleSet.of(battles.subList(0, 15), vectors);
        assertThatThrownBy(() -> RouterTraining.train(
                        "ridge-knn",
                        few,
                        S,
                        W,
                        1,
                        Map.of("choice_scale", "0", "prior_scale", "0.3", "reliability_folds", "10", "neighbours", "3"),
                        m -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reliability_folds 10 needs at least 20");
    }

    private static double spread(double[] values) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
