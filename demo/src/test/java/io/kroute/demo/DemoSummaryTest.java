package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.Json;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSummaryTest {

    private static Outcome answer(String id, Tier tier, double cost, long observedAt) {
        return new Outcome(
                new LlmResponse(id, "t", tier, "m", "x", "stop", 1, 1, cost, 5, 1, ResponseStatus.OK, "v", 0, 0),
                null,
                observedAt);
    }

    @Test
    void counts_cost_quality_and_latency_from_the_outcomes() {
        // given: 4 prompts; strong right on a,b,c; weak right on a,d
        List<DemoItem> items = List.of(
                new DemoItem("a", true, true, 1.0),
                new DemoItem("b", true, false, 1.0),
                new DemoItem("c", true, false, 1.0),
                new DemoItem("d", false, true, 1.0));
        Map<String, Outcome> outcomes = new HashMap<>();
        outcomes.put("a", answer("a", Tier.WEAK, 0.1, 1_100));
        outcomes.put("b", answer("b", Tier.STRONG, 1.0, 1_200));
        outcomes.put("c", answer("c", Tier.WEAK, 0.1, 1_300));
        outcomes.put("d", answer("d", Tier.WEAK, 0.1, 2_000));
        outcomes.put("junk", new Outcome(null, new DeadLetter("junk", "", "p", 0, 0, "s", "bad", 0), 1_500));
        Map<String, Long> created = Map.of("a", 1_000L, "b", 1_000L, "c", 1_000L, "d", 1_000L);

        // when
        DemoSummary s = DemoSummary.compute(items, 1, outcomes, 0, 1_000, created, "r", "v", 0.5, "card", "gsm8k", 25);

        // then
        assertThat(s.prompts()).isEqualTo(4);
        assertThat(s.responses()).isEqualTo(4);
        assertThat(s.deadLetters()).isEqualTo(1);
        assertThat(s.unaccounted()).isZero();
        assertThat(s.strongCalls()).isEqualTo(1);
        assertThat(s.weakCalls()).isEqualTo(3);
        assertThat(s.costUsd()).isCloseTo(1.3, within(1e-9));
        assertThat(s.costAllStrongUsd()).isCloseTo(4.0, within(1e-9));
        assertThat(s.quality()).isEqualTo(0.75); // a (weak right), b (strong right), c (weak wrong), d (weak right)
        assertThat(s.qualityAllStrong()).isEqualTo(0.75);
        assertThat(s.qualityAllWeak()).isEqualTo(0.5);
        assertThat(s.performanceGapRecovered()).isCloseTo(1.0, within(1e-9));
        assertThat(s.latencyP50Ms()).isEqualTo(200);
        assertThat(s.latencyP99Ms()).isEqualTo(1_000);
        assertThat(s.throughputPerS()).isCloseTo(4.0, within(1e-9));
        assertThat(s.allAccountedFor()).isTrue();
    }

    @Test
    void the_cost_quality_plot_has_the_run_beside_all_weak_all_strong_and_the_random_mixes(@TempDir Path dir)
            throws Exception {
        List<DemoItem> items = List.of(new DemoItem("a", true, false, 1.0), new DemoItem("b", true, true, 1.0));
        Map<String, Outcome> outcomes =
                Map.of("a", answer("a", Tier.STRONG, 1.0, 10), "b", answer("b", Tier.WEAK, 0.1, 10));
        DemoSummary s = DemoSummary.compute(items, 0, outcomes, 0, 0, Map.of(), "r", "v", 0.5, "card", "gsm8k", 50);

        CostQualityPlot.write(dir.resolve("cost-quality"), s, 0.2);

        assertThat(javax.imageio.ImageIO.read(dir.resolve("cost-quality.png").toFile())
                        .getWidth())
                .isEqualTo(900);
        assertThat(Files.readString(dir.resolve("cost-quality.svg"))).contains("<svg");
        var series = CostQualityPlot.chart(s, 0.2).getSeriesMap();
        assertThat(series.keySet())
                .containsExactly("random mixes", "all weak", "all strong", "kroute, r (50% strong, PGR 1.00)");
        assertThat(series.get("kroute, r (50% strong, PGR 1.00)").getXData()).containsExactly(1.1);
        assertThat(series.get("all weak").getYData()).containsExactly(0.5);
    }

    @Test
    void a_missing_outcome_is_unaccounted() {
        List<DemoItem> items = List.of(new DemoItem("a", true, true, 1.0), new DemoItem("b", true, true, 1.0));
        Map<String, Outcome> outcomes = Map.of("a", answer("a", Tier.WEAK, 0.1, 10));

        DemoSummary s = DemoSummary.compute(items, 0, outcomes, 0, 0, Map.of(), "r", "v", 0.5, "card", "gsm8k", 50);

        assertThat(s.unaccounted()).isEqualTo(1);
        assertThat(s.allAccountedFor()).isFalse();
    }

    @Test
    void json_has_the_contract_keys(@TempDir Path dir) throws Exception {
        DemoSummary s = DemoSummary.compute(
                List.of(new DemoItem("a", true, false, 2.0)),
                0,
                Map.of("a", answer("a", Tier.STRONG, 2.0, 50)),
                0,
                0,
                Map.of("a", 0L),
                "random",
                "seed-0",
                0.5,
                "card",
                "gsm8k",
                50);
        Path file = dir.resolve("out/summary.json");

        s.writeJson(file);

        JsonNode json = Json.MAPPER.readTree(Files.readString(file));
        assertThat(json.fieldNames())
                .toIterable()
                .contains(
                        "prompts",
                        "responses",
                        "dead_letters",
                        "strong_calls",
                        "weak_calls",
                        "cost_usd",
                        "cost_all_strong_usd",
                        "quality",
                        "quality_all_strong",
                        "quality_all_weak",
                        "throughput_per_s",
                        "latency_p50_ms",
                        "latency_p99_ms");
        assertThat(json.get("cost_all_strong_usd").asDouble()).isEqualTo(2.0);
        assertThat(s.table()).contains("| responses").contains("| strong calls");
    }

    @Test
    void percentile_is_nearest_rank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(DemoSummary.percentile(sorted, 50)).isEqualTo(5);
        assertThat(DemoSummary.percentile(sorted, 99)).isEqualTo(10);
        assertThat(DemoSummary.percentile(new double[0], 50)).isNaN();
    }
}
