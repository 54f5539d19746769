package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CostAwareSelectorTest {

    // three models: strong and dear, middling, weak and cheap
    private static final double[] COST = {0.010, 0.001, 0.0001};

    @Test
    void max_quality_under_a_ceiling_takes_the_best_that_fits_or_else_the_cheapest() {
        assertThat(CostAwareSelector.maxQualityUnderCost(0.002).select(new double[] {9, 7, 5}, COST))
                .isEqualTo(1);
        assertThat(CostAwareSelector.maxQualityUnderCost(0.02).select(new double[] {9, 7, 5}, COST))
                .isEqualTo(0);
        assertThat(CostAwareSelector.maxQualityUnderCost(0.00001).select(new double[] {9, 7, 5}, COST))
                .isEqualTo(2);
    }

    @Test
    void cheapest_within_a_tolerance_of_the_best() {
        assertThat(CostAwareSelector.cheapestWithin(0.5).select(new double[] {9, 8.6, 5}, COST))
                .isEqualTo(1);
        assertThat(CostAwareSelector.cheapestWithin(0.5).select(new double[] {9, 8.4, 8.9}, COST))
                .isEqualTo(2);
        assertThat(CostAwareSelector.cheapestWithin(0).select(new double[] {9, 8.4, 8.9}, COST))
                .isEqualTo(0);
    }

    @Test
    void the_trade_off_moves_from_the_best_to_the_cheapest_as_lambda_grows() {
        double[] q = {9, 7, 5};
        assertThat(CostAwareSelector.tradeOff(0).select(q, COST)).isEqualTo(0);
        assertThat(CostAwareSelector.tradeOff(1_000).select(q, COST)).isEqualTo(1);
        assertThat(CostAwareSelector.tradeOff(1e7).select(q, COST)).isEqualTo(2);
        assertThat(CostAwareSelector.tradeOff(Double.POSITIVE_INFINITY).select(q, COST))
                .isEqualTo(2);
    }

    @Test
    void equal_scores_go_to_the_cheaper_model() {
        assertThat(CostAwareSelector.tradeOff(0).select(new double[] {8, 8, 8}, COST))
                .isEqualTo(2);
        assertThat(CostAwareSelector.maxQualityUnderCost(1).select(new double[] {8, 8, 7}, COST))
                .isEqualTo(1);
    }

    @Test
    void lambda_calibrated_to_a_target_average_cost_meets_it_on_the_sample() {
        // given a sample where prompts differ in how much the strong model adds
        double[][] quality = new double[100][];
        double[][] cost = new double[100][];
        for (int i = 0; i < 100; i++) {
            quality[i] = new double[] {9, 9 - i / 20.0, 9 - i / 10.0};
            cost[i] = COST;
        }
        // when
        double lambda = CostAwareSelector.lambdaForAverageCost(quality, cost, 0.004);
        // then the average cost is at or under the target, and close to it
        double average = CostAwareSelector.averageCost(quality, cost, lambda);
        assertThat(average).isLessThanOrEqualTo(0.004).isGreaterThan(0.003);
        assertThat(CostAwareSelector.lambdaForAverageCost(quality, cost, 1)).isZero();
        assertThat(CostAwareSelector.lambdaForAverageCost(quality, cost, 0.00001))
                .isInfinite();
    }

    @Test
    void a_negative_value_or_an_unknown_rule_is_refused() {
        assertThatThrownBy(() -> CostAwareSelector.cheapestWithin(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostAwareSelector.Rule.parse("cheap"))
                .hasMessageContaining("max-quality-under-cost, cheapest-within or trade-off");
    }
}
