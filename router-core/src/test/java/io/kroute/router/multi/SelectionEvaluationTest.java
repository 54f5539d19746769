package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionEvaluationTest {

    private static SelectionEvaluation.Point p(double cost, double quality) {
        return new SelectionEvaluation.Point(cost, quality, "", new double[0]);
    }

    @Test
    void the_upper_hull_drops_points_under_a_mix_and_points_that_cost_more_for_less() {
        List<SelectionEvaluation.Point> hull =
                SelectionEvaluation.upperHull(List.of(p(1, 5), p(2, 5.5), p(3, 8), p(10, 9), p(12, 8.5), p(5, 8.2)));
        assertThat(hull).extracting(SelectionEvaluation.Point::cost).containsExactly(1.0, 3.0, 10.0);
        assertThat(SelectionEvaluation.qualityAt(hull, 6.5)).isCloseTo(8.5, within(1e-9));
        assertThat(SelectionEvaluation.costFor(hull, 8.5)).isCloseTo(6.5, within(1e-9));
        assertThat(SelectionEvaluation.costFor(hull, 9.5)).isNaN();
    }

    @Test
    void choice_quality_ranks_a_predictor_that_knows_which_labelled_answer_is_better_above_one_that_has_it_backwards() {
        // given: three models; each request labelled for two of them (NaN: not labelled), the cheap one good on the
        // first two requests only; the last request has one label and no choice to judge
        double nan = Double.NaN;
        double[][] labels = {{9, nan, 9}, {nan, 8, 8}, {9, 7, 2}, {9, nan, nan}};
        double[][] cost = {{10, 3, 1}, {10, 3, 1}, {10, 3, 1}, {10, 3, 1}};
        double[][] knows = {{9, 5, 9}, {9, 8, 8}, {9, 7, 2}, {1, 1, 1}};
        double[][] backwards = {{9, 5, 2}, {9, 2, 8}, {2, 2, 9}, {1, 1, 1}};

        // when
        double good = SelectionEvaluation.choiceQuality(knows, cost, labels);
        double bad = SelectionEvaluation.choiceQuality(backwards, cost, labels);

        // then: at the cheapest end both pick the cheapest labelled answers; above it only the first gains
        assertThat(good).isGreaterThan(bad);
        List<SelectionEvaluation.Point> curve = SelectionEvaluation.labelledTradeOffCurve(knows, cost, labels);
        assertThat(curve.get(curve.size() - 1).cost()).isCloseTo(1, within(1e-9));
        assertThat(curve.get(curve.size() - 1).quality()).isCloseTo((9 + 8 + 2) / 3.0, within(1e-9));
        assertThat(SelectionEvaluation.choiceQuality(knows, cost, new double[][] {{9, nan, nan}}))
                .isNaN();
    }

    @Test
    void the_oracle_matches_the_best_single_model_for_less_when_cheap_models_answer_some_prompts_well() {
        // given two prompts: the cheap model is as good as the dear one on the first only
        double[][] quality = {{9, 9}, {9, 2}};
        double[][] cost = {{0.01, 0.001}, {0.01, 0.001}};
        List<SelectionEvaluation.Single> singles = SelectionEvaluation.singles(List.of("dear", "cheap"), quality, cost);
        SelectionEvaluation.Single best = SelectionEvaluation.bestSingle(singles);
        // when
        SelectionEvaluation.Headline oracle =
                SelectionEvaluation.headline(SelectionEvaluation.tradeOffCurve(quality, cost, quality, cost), best);
        SelectionEvaluation.Headline mix =
                SelectionEvaluation.headline(SelectionEvaluation.upperHull(SelectionEvaluation.points(singles)), best);
        // then
        assertThat(best.model()).isEqualTo("dear");
        assertThat(oracle.costShareToMatchBestSingle()).isCloseTo(0.55, within(1e-9));
        assertThat(mix.costShareToMatchBestSingle()).isCloseTo(1.0, within(1e-9));
        assertThat(oracle.qualityAtBestSingleCost()).isCloseTo(9.0, within(1e-9));
    }

    @Test
    void the_task_oracle_knows_each_task_but_nothing_within_it() {
        // given two tasks of two prompts: the cheap model equals the dear one on task a, on one prompt of task b
        double[][] quality = {{9, 9}, {9, 9}, {9, 9}, {9, 1}};
        double[][] cost = {{10, 1}, {10, 1}, {10, 1}, {10, 1}};
        List<String> tasks = List.of("a", "a", "b", "b");

        // when
        double[][] means = SelectionEvaluation.groupMeans(quality, tasks);
        List<SelectionEvaluation.Point> taskOracle =
                SelectionEvaluation.tradeOffCurve(means, SelectionEvaluation.groupMeans(cost, tasks), quality, cost);
        List<SelectionEvaluation.Point> oracle = SelectionEvaluation.tradeOffCurve(quality, cost, quality, cost);
        SelectionEvaluation.Single best =
                SelectionEvaluation.bestSingle(SelectionEvaluation.singles(List.of("dear", "cheap"), quality, cost));

        // then: task b's mean is 9 vs 5, so b stays with the dear model; the oracle also sends b's first prompt cheap
        assertThat(means[2]).containsExactly(9, 5);
        assertThat(SelectionEvaluation.headline(taskOracle, best).costShareToMatchBestSingle())
                .isCloseTo((1 + 1 + 10 + 10) / 40.0, within(1e-9));
        assertThat(SelectionEvaluation.headline(oracle, best).costShareToMatchBestSingle())
                .isCloseTo((1 + 1 + 1 + 10) / 40.0, within(1e-9));
    }
}
