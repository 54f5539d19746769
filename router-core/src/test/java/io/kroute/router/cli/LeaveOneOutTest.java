package io.kroute.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.data.ScoredAnswer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaveOneOutTest {

    private static final String S = "strong";
    private static final String W = "weak";

    /** n prompts; the strong model wins exactly on the odd ones. */
    private static LeaveOneOut.Source source(String name, boolean shippable, int n, String... shared) {
        List<ScoredAnswer> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(
                    new ScoredAnswer(name + "/" + i, name + " prompt " + i, Map.of(S, i % 2 == 1 ? 1.0 : 0.0, W, 0.0)));
        }
        for (String prompt : shared) {
            rows.add(new ScoredAnswer(name + "/shared", prompt, Map.of(S, 1.0, W, 0.0)));
        }
        return new LeaveOneOut.Source(name, shippable, rows, rows, S, W);
    }

    /** An oracle for odd prompts that remembers what it was trained on; "inverted" ranks them last. */
    private static final class RecordingTrainer implements LeaveOneOut.Trainer {
        final Map<String, List<String>> trainedOn = new HashMap<>();
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public LeaveOneOut.Scorer train(String kind, List<ScoredAnswer> training) {
            calls.add(training.stream().map(ScoredAnswer::prompt).toList());
            return heldOut -> {
                double[] scores = new double[heldOut.size()];
                for (int i = 0; i < scores.length; i++) {
                    String p = heldOut.get(i);
                    boolean odd =
                            p.endsWith("1") || p.endsWith("3") || p.endsWith("5") || p.endsWith("7") || p.endsWith("9");
                    scores[i] = (odd ? 1.0 : 0.0) * (kind.equals("inverted") ? -1 : 1) + i * 1e-6;
                }
                return scores;
            };
        }
    }

    @Test
    void each_source_is_scored_by_routers_trained_only_on_the_other_shippable_sources() throws Exception {
        // given: two shippable sources and one that may be read for evaluation only
        List<LeaveOneOut.Source> sources =
                List.of(source("a", true, 20), source("b", true, 30), source("c", false, 40));
        RecordingTrainer trainer = new RecordingTrainer();

        // when
        List<LeaveOneOut.Fold> folds =
                LeaveOneOut.run(sources, List.of("a", "b", "c"), false, List.of("oracle"), trainer, m -> {});

        // then: the held-out source and the evaluation-only one are never trained on
        assertThat(folds).extracting(LeaveOneOut.Fold::heldOut).containsExactly("a", "b", "c");
        assertThat(folds.get(0).trainedOn()).containsExactly("b");
        assertThat(folds.get(1).trainedOn()).containsExactly("a");
        assertThat(folds.get(2).trainedOn()).containsExactly("a", "b");
        assertThat(trainer.calls.get(0)).allMatch(p -> p.startsWith("b ")).hasSize(30);
        assertThat(trainer.calls.get(1)).allMatch(p -> p.startsWith("a ")).hasSize(20);
        assertThat(trainer.calls.get(2)).noneMatch(p -> p.startsWith("c ")).hasSize(50);
        assertThat(folds.get(2).results().get(0).prompts()).isEqualTo(40);
    }

    @Test
    void sources_held_out_from_the_same_training_rows_reuse_its_routers_and_others_train_anew() throws Exception {
        // given: two evaluation-only sources, both held out from the same shippable rows, then a shippable one
        List<LeaveOneOut.Source> sources =
                List.of(source("a", true, 20), source("b", true, 30), source("c", false, 40), source("d", false, 10));
        RecordingTrainer trainer = new RecordingTrainer();

        // when
        List<LeaveOneOut.Fold> folds = LeaveOneOut.run(
                sources, List.of("c", "d", "a"), false, List.of("oracle", "inverted"), trainer, m -> {});

        // then: c and d share one training per kind; a (trained on b alone) gets its own; every score is its own
        assertThat(trainer.calls).hasSize(4);
        assertThat(trainer.calls.get(2)).allMatch(p -> p.startsWith("b ")).hasSize(30);
        assertThat(folds.get(1).results().get(0).prompts()).isEqualTo(10);
        assertThat(folds.get(1).results().get(0).apgr())
                .isGreaterThan(folds.get(1).results().get(1).apgr());
    }

    @Test
    void a_source_sharing_a_prompt_with_the_training_rows_trains_its_own_routers() throws Exception {
        // given: c and d are held out from the same sources, but d also holds one of a's prompts
        List<LeaveOneOut.Source> sources = List.of(
                source("a", true, 20),
                source("b", true, 30),
                source("c", false, 40),
                source("d", false, 10, "a prompt 3"));
        RecordingTrainer trainer = new RecordingTrainer();

        // when
        LeaveOneOut.run(sources, List.of("c", "d"), false, List.of("oracle", "inverted"), trainer, m -> {});

        // then: d's rows differ (without that prompt), so its routers are trained anew and never on it
        assertThat(trainer.calls).hasSize(4);
        assertThat(trainer.calls.get(0)).hasSize(50).contains("a prompt 3");
        assertThat(trainer.calls.get(2)).hasSize(49).doesNotContain("a prompt 3");
    }

    @Test
    void research_training_adds_the_evaluation_only_sources_but_never_the_held_out_prompts() throws Exception {
        // given: "b" holds a copy of one of a's prompts
        List<LeaveOneOut.Source> sources =
                List.of(source("a", true, 20), source("b", true, 30, "a prompt 3"), source("c", false, 40));
        RecordingTrainer trainer = new RecordingTrainer();

        // when
        List<LeaveOneOut.Fold> folds =
                LeaveOneOut.run(sources, List.of("a"), true, List.of("oracle"), trainer, m -> {});

        // then
        assertThat(folds.get(0).trainedOn()).containsExactly("b", "c");
        assertThat(trainer.calls.get(0)).hasSize(70).doesNotContain("a prompt 3");
    }

    @Test
    void the_summary_has_every_source_the_mean_and_the_worst_beside_length_and_random() throws Exception {
        List<LeaveOneOut.Source> sources = List.of(source("a", true, 20), source("b", true, 30));

        List<LeaveOneOut.Summary> summaries = LeaveOneOut.summarise(LeaveOneOut.run(
                sources, List.of("a", "b"), false, List.of("oracle", "inverted"), new RecordingTrainer(), m -> {}));

        assertThat(summaries)
                .extracting(LeaveOneOut.Summary::router)
                .containsExactly("oracle", "inverted", LeaveOneOut.LENGTH, LeaveOneOut.RANDOM, "random", "optimal");
        LeaveOneOut.Summary oracle = summaries.get(0);
        LeaveOneOut.Summary inverted = summaries.get(1);
        assertThat(oracle.apgr()).containsOnlyKeys("a", "b");
        assertThat(oracle.apgr().get("a")).isGreaterThan(0.7);
        assertThat(inverted.apgr().get("a")).isLessThan(0.3);
        assertThat(oracle.mean())
                .isCloseTo((oracle.apgr().get("a") + oracle.apgr().get("b")) / 2, within(1e-12));
        assertThat(inverted.worst())
                .isEqualTo(Math.min(inverted.apgr().get("a"), inverted.apgr().get("b")));
        assertThat(summaries.get(4).mean()).isCloseTo(0.5, within(1e-12));
        assertThat(oracle.cpt50()).containsOnlyKeys("a", "b");
    }

    @Test
    void the_random_band_holds_a_coin_and_narrows_as_the_source_grows() {
        double[][] small = alternating(100);
        double[][] large = alternating(10_000);

        double[] smallBand = LeaveOneOut.randomBand(small[0], small[1]);
        double[] largeBand = LeaveOneOut.randomBand(large[0], large[1]);

        assertThat(smallBand[0]).isLessThan(0.5);
        assertThat(smallBand[1]).isGreaterThan(0.5);
        assertThat(largeBand[0]).isGreaterThan(smallBand[0]);
        assertThat(largeBand[1]).isLessThan(smallBand[1]);
        assertThat(largeBand[1] - largeBand[0]).isLessThan(0.1);
    }

    /** strong and weak scores of n prompts: the strong model wins on every other one. */
    private static double[][] alternating(int n) {
        double[] strong = new double[n];
        double[] weak = new double[n];
        for (int i = 0; i < n; i++) {
            strong[i] = i % 2;
        }
        return new double[][] {strong, weak};
    }
}
