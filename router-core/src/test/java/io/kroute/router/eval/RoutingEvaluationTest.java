package io.kroute.router.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingEvaluationTest {

    @Test
    void metrics_of_a_known_curve_match_the_hand_computation() {
        // quality 0.5 with no strong call, 0.75 (the strong model's) at half and at all strong calls
        List<RoutingEvaluation.Point> curve = List.of(
                new RoutingEvaluation.Point(1, 0.0, 0.5),
                new RoutingEvaluation.Point(0.5, 0.5, 0.75),
                new RoutingEvaluation.Point(0, 1.0, 0.75));
        RoutingEvaluation.Result r = RoutingEvaluation.summarise("known", "test", 4, 0.75, 0.5, curve);
        // PGR goes 0 -> 1 over the first half, stays 1: area 0.25 + 0.5
        assertThat(r.apgr()).isCloseTo(0.75, within(1e-12));
        assertThat(r.auc()).isCloseTo(0.5 * (0.5 + 0.75) / 2 + 0.5 * 0.75, within(1e-12));
        // 50% of the gap is quality 0.625, reached a quarter of the way; 80% is 0.7, at 40%
        assertThat(r.cpt50()).isCloseTo(0.25, within(1e-12));
        assertThat(r.cpt80()).isCloseTo(0.40, within(1e-12));
    }

    @Test
    void random_is_the_diagonal() {
        RoutingEvaluation.Result r = RoutingEvaluation.random(new double[] {1, 1, 0, 1}, new double[] {0, 1, 0, 0});
        assertThat(r.apgr()).isCloseTo(0.5, within(1e-12));
        assertThat(r.cpt50()).isCloseTo(0.5, within(1e-12));
        assertThat(r.cpt80()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void optimal_sends_the_prompts_strong_wins_first_and_the_ones_it_loses_last() {
        double[] strong = {1, 1, 1, 0};
        double[] weak = {0, 0, 1, 1};
        RoutingEvaluation.Result r = RoutingEvaluation.optimal(strong, weak);
        assertThat(r.curve()).extracting(RoutingEvaluation.Point::quality).containsExactly(0.5, 0.75, 1.0, 1.0, 0.75);
        assertThat(r.curve())
                .extracting(RoutingEvaluation.Point::strongShare)
                .containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
        // PGR: 0, 1, 2, 2, 1 at quarter steps
        assertThat(r.apgr()).isCloseTo(0.25 * (0.5 + 1.5 + 2 + 1.5), within(1e-12));
        assertThat(r.cpt50()).isCloseTo(0.125, within(1e-12));
    }

    @Test
    void a_router_that_ranks_by_the_true_gain_beats_one_that_ranks_against_it() {
        int n = 100;
        double[] strong = new double[n];
        double[] weak = new double[n];
        double[] good = new double[n];
        for (int i = 0; i < n; i++) {
            strong[i] = i % 3 == 0 ? 1 : i % 3 == 1 ? 1 : 0;
            weak[i] = i % 3 == 0 ? 0 : 1;
            good[i] = strong[i] - weak[i] + i * 1e-6;
        }
        double[] bad = new double[n];
        for (int i = 0; i < n; i++) {
            bad[i] = -good[i];
        }
        RoutingEvaluation.Result g = RoutingEvaluation.evaluate("good", "t", strong, weak, good);
        RoutingEvaluation.Result b = RoutingEvaluation.evaluate("bad", "t", strong, weak, bad);
        assertThat(g.curve()).hasSize(11);
        assertThat(g.curve().get(0).quality()).isCloseTo(RoutingEvaluation.mean(weak), within(1e-12));
        assertThat(g.curve().get(10).quality()).isCloseTo(RoutingEvaluation.mean(strong), within(1e-12));
        assertThat(g.apgr()).isGreaterThan(0.9);
        assertThat(b.apgr()).isLessThan(0.2);
    }
}
