package io.kroute.router.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {

    @Test
    void from_prices_the_input_price_per_prompt_token_plus_the_expected_answer() {
        CostModel costs = CostModel.fromPrices(
                List.of("a", "b"), List.of(new ModelPrice(10, 30), new ModelPrice(1, 2)), new double[] {100, 50});
        double[] c = costs.expected(1000);
        assertThat(c[0]).isCloseTo(0.010 + 0.003, within(1e-12));
        assertThat(c[1]).isCloseTo(0.001 + 0.0001, within(1e-12));
    }

    @Test
    void fitted_on_real_costs_recovers_a_linear_price_and_never_goes_negative() {
        int[] tokens = {100, 200, 300, 400};
        double[][] cost = {{0.0012, 0.0005}, {0.0022, 0.0004}, {0.0032, Double.NaN}, {0.0042, 0.0003}};
        CostModel costs = CostModel.fitted(List.of("linear", "falling"), tokens, cost);
        assertThat(costs.expected(500)[0]).isCloseTo(0.0052, within(1e-9));
        assertThat(costs.expected(10_000)[1]).isGreaterThanOrEqualTo(0);
    }

    @Test
    void a_price_out_of_bounds_is_refused() {
        assertThatThrownBy(() -> new ModelPrice(-1, 1)).hasMessageContaining("input_per_million");
        assertThatThrownBy(() -> new ModelPrice(1, Double.NaN)).hasMessageContaining("output_per_million");
    }

    @Test
    void a_price_table_names_every_model_it_lacks() {
        PriceTable table = PriceTable.load(PriceTable.ARENA_2023);
        assertThat(table.all()).hasSize(16).containsKey("gpt-4-1106-preview");
        assertThatThrownBy(() -> table.forModels(List.of("gpt-4-1106-preview", "gpt-7", "o9")))
                .hasMessageContaining("[gpt-7, o9]");
        assertThatThrownBy(
                        () -> PriceTable.parse("{\"prices\": {\"m\": {\"input_per_million\": \"x\"}}}".getBytes(), "f"))
                .hasMessageContaining("model m needs numbers");
    }
}
