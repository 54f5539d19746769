package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private final PriceTable prices = new PriceTable(WorkerConfig.defaults().prices());

    @Test
    void pricesGpt4TurboAtTenInAndThirtyOutPerMillion() {
        // 1,000 in = 0.01 USD, 500 out = 0.015 USD
        assertThat(prices.costUsd("gpt-4-1106-preview", 1_000, 500)).isCloseTo(0.025, within(1e-12));
    }

    @Test
    void pricesMixtralAtSixtyCentsPerMillion() {
        assertThat(prices.costUsd("mistralai/Mixtral-8x7B-Instruct-v0.1", 1_000_000, 1_000_000))
                .isCloseTo(1.20, within(1e-12));
    }

    @Test
    void countsAnUnknownModelAsFree() {
        assertThat(prices.costUsd("unknown-model", 1_000, 1_000)).isZero();
        assertThat(prices.costUsd("unknown-model", 1_000, 1_000)).isZero();
        assertThat(prices.knows("unknown-model")).isFalse();
    }

    @Test
    void costsNothingForNoTokens() {
        assertThat(new PriceTable(Map.of("m", new ModelPrice(1, 2))).costUsd("m", 0, 0))
                .isZero();
    }
}
