package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void parses_every_option() {
        DemoOptions o = DemoOptions.parse(new String[] {
            "--prompts",
            "20",
            "--strong-pct",
            "30",
            "--router",
            "random:3",
            "--calibration",
            "traffic",
            "--benchmark",
            "mmlu",
            "--malformed",
            "2",
            "--latency-ms",
            "0",
            "--seed",
            "9",
            "--timeout-s",
            "60",
            "--out",
            "x.json"
        });

        assertThat(o.prompts()).isEqualTo(20);
        assertThat(o.strongPct()).isEqualTo(30);
        assertThat(o.router()).isEqualTo("random:3");
        assertThat(o.calibration()).isEqualTo("traffic");
        assertThat(o.benchmark()).isEqualTo("mmlu");
        assertThat(o.malformed()).isEqualTo(2);
        assertThat(o.latencyMs()).isZero();
        assertThat(o.seed()).isEqualTo(9);
        assertThat(o.timeoutSeconds()).isEqualTo(60);
        assertThat(o.out().toString()).isEqualTo("x.json");
        assertThat(DemoOptions.parse(new String[0])).isEqualTo(DemoOptions.defaults());
    }

    @Test
    void via_batch_api_is_a_flag_that_refuses_what_does_not_apply() {
        assertThat(DemoOptions.parse(new String[] {"--via-batch-api"}).viaBatchApi())
                .isTrue();
        assertThat(DemoOptions.defaults().viaBatchApi()).isFalse();
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--via-batch-api", "--malformed", "3"}))
                .hasMessageContaining("--via-batch-api")
                .hasMessageContaining("--malformed");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--via-batch-api", "--feedback"}))
                .hasMessageContaining("--feedback");
    }

    @Test
    void many_models_need_the_arena_benchmark_and_refuse_the_two_model_options() {
        DemoOptions o = DemoOptions.parse(
                new String[] {"--benchmark", "arena", "--models", "all", "--target-cost-usd", "0.01"});
        assertThat(o.models()).isEqualTo("all");
        assertThat(o.targetCostUsd()).isEqualTo(0.01);
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--models", "all"}))
                .hasMessageContaining("give --benchmark arena");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--benchmark", "arena"}))
                .hasMessageContaining("give --benchmark arena with --models");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--target-cost-usd", "0.01"}))
                .hasMessageContaining("give --models");
        assertThatThrownBy(() ->
                        DemoOptions.parse(new String[] {"--benchmark", "arena", "--models", "all", "--router", "mf"}))
                .hasMessageContaining("do not apply");
    }

    @Test
    void unknown_many_models_are_named() {
        var all = java.util.List.of(
                new io.kroute.stream.ModelQueue("a", "model-a", new io.kroute.router.multi.ModelPrice(1, 1)),
                new io.kroute.stream.ModelQueue("b", "model-b", new io.kroute.router.multi.ModelPrice(1, 1)));
        assertThat(ManyModelDemo.chosen(all, "model-a,b")).hasSize(2);
        assertThatThrownBy(() -> ManyModelDemo.chosen(all, "model-a,gpt-9"))
                .hasMessageContaining("unknown model(s) [gpt-9]");
        assertThatThrownBy(() -> ManyModelDemo.chosen(all, "model-a")).hasMessageContaining("at least two");
    }

    @Test
    void bad_arguments_get_one_line_messages() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--calibration", "live"}))
                .hasMessage("--calibration must be card or traffic, got 'live'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--prompts", "many"}))
                .hasMessage("--prompts needs a whole number, got 'many'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--prompts", "0"}))
                .hasMessageStartingWith("--prompts must be between 1");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--strong-pct", "120"}))
                .hasMessageStartingWith("--strong-pct must be between 0");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--benchmark", "mtbench"}))
                .hasMessage("--benchmark must be gsm8k, mmlu or arena, got 'mtbench'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--prompts"})).hasMessage("--prompts needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--nosuch"}))
                .hasMessageStartingWith("unknown option --nosuch");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--prompts", "10", "--help"}))
                .isInstanceOf(DemoOptions.HelpRequested.class)
                .hasMessage(DemoOptions.USAGE);
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--frobnicate", "1"}))
                .hasMessageStartingWith("unknown option --frobnicate");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"stray"}))
                .hasMessageStartingWith("unexpected argument 'stray'");
    }

    @Test
    void feedback_takes_its_own_options_and_refuses_the_ones_that_do_not_apply() {
        DemoOptions o = DemoOptions.parse(
                new String[] {"--feedback", "--waves", "4", "--label-pct", "50", "--retrain-kind", "mf"});
        assertThat(o.feedback()).isEqualTo(new FeedbackDemo.Settings(4, 50, "mf"));
        assertThat(DemoOptions.parse(new String[] {"--prompts", "9"}).feedback())
                .isNull();

        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--waves", "4"}))
                .hasMessage("--waves, --label-pct and --retrain-kind need --feedback");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--feedback", "--retrain-kind", "sw"}))
                .hasMessageStartingWith("--retrain-kind must be one of [mf, classifier, ridge-knn]");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--feedback", "--router", "mf"}))
                .hasMessageStartingWith("--feedback starts from the random router");
    }
}
