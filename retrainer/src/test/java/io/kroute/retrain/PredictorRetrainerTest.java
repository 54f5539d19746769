package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.TrainedPredictor;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Tier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The many-model learning loop on the shipped Arena predictor: this deployment's labels say a cheap model writes
 * limericks as well as GPT-4-1106 and fails at calculus, which the predictor in service does not know.
 */
class PredictorRetrainerTest {

    private static final String SHIPPED = "classpath:kroute/routers/arena-predictor";
    private static final String CHEAP = "claude-instant-1";
    private static final String BEST = "gpt-4-1106-preview";

    private static String prompt(int i) {
        Random random = new Random(i);
        String[] things = {"a cat", "the sea", "Mondays", "a robot", "coffee", "my garden", "a lost sock", "the moon"};
        if (i % 2 == 0) {
            return "Write a limerick about " + things[random.nextInt(things.length)] + " and " + things[i % 8]
                    + ", number " + i;
        }
        return "Compute the derivative of x^" + (2 + random.nextInt(9)) + " * sin(" + (1 + random.nextInt(7))
                + "x) and simplify it step by step (" + i + ")";
    }

    private static LabeledPrompt rating(int i, String model, double value) {
        String id = "req-" + i;
        return new LabeledPrompt(
                id,
                prompt(i),
                Tier.WEAK,
                model,
                "v0",
                0.5,
                new Feedback(id, FeedbackSource.HUMAN, model, null, value, null, 1),
                1);
    }

    private static RetrainerSettings settings(Path work) {
        return RetrainerSettings.defaults(BEST, CHEAP)
                .withKind("quality-ridge")
                .withMinNewLabels(1_000_000)
                .withMinHeldOut(10)
                .withWorkDir(work);
    }

    private static PredictorRetrainer retrainer(RetrainerSettings settings, Retrainer.Promoter promoter) {
        TrainedPredictor shipped = TrainedPredictor.load(SHIPPED);
        return new PredictorRetrainer(
                settings, shipped, PredictorRetrainer.costs(shipped, PriceTable.load(PriceTable.ARENA_2023)), promoter);
    }

    @Test
    void a_correction_the_labels_support_is_promoted_and_keeps_every_model(@TempDir Path work) throws Exception {
        // given
        List<RouterModel> published = new ArrayList<>();
        try (PredictorRetrainer retrainer = retrainer(settings(work), published::add)) {
            List<String> fresh = List.of(prompt(10_000), prompt(10_001));
            double[][] before = retrainer.serving().predict(fresh);
            int cheap = retrainer.serving().models().indexOf(CHEAP);

            // when: 200 requests labelled for the cheap model and the best one
            for (int i = 0; i < 200; i++) {
                retrainer.accept(rating(i, CHEAP, i % 2 == 0 ? 1.0 : 0.1));
                retrainer.accept(rating(i, BEST, 0.95));
            }
            retrainer.runRound();

            // then
            assertThat(retrainer.decisions()).hasSize(1);
            PredictorDecision decision = retrainer.decisions().get(0);
            assertThat(decision.promoted()).as(decision.reason()).isTrue();
            assertThat(decision.candidateSelection()).isGreaterThan(decision.servingSelection());
            assertThat(decision.candidateError()).isLessThan(decision.servingError() / 2);
            assertThat(decision.correctedModels()).containsExactlyInAnyOrder(CHEAP, BEST);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).kind()).isEqualTo("quality-ridge");
            TrainedPredictor serving = retrainer.serving();
            assertThat(serving.info().version()).isEqualTo(decision.candidateVersion());
            assertThat(serving.models()).hasSize(16);
            try (TrainedPredictor shipped = TrainedPredictor.load(SHIPPED)) {
                assertThat(serving.expectedOutputTokens()).isEqualTo(shipped.expectedOutputTokens());
            }
            double[][] after = serving.predict(fresh);
            // on unseen prompts: the cheap model now writes limericks far better than it does calculus
            assertThat(after[0][cheap] - after[1][cheap])
                    .as("limerick minus calculus, before %s", before[0][cheap] - before[1][cheap])
                    .isGreaterThan(5);
            // a model nobody labelled keeps its heads in service
            int other = serving.models().indexOf("llama-13b");
            assertThat(after[0][other]).isCloseTo(before[0][other], org.assertj.core.api.Assertions.within(1e-3));

            // and a second round, on new prompts, starts from the promoted predictor
            for (int i = 200; i < 300; i++) {
                retrainer.accept(rating(i, CHEAP, i % 2 == 0 ? 1.0 : 0.1));
                retrainer.accept(rating(i, BEST, 0.95));
            }
            retrainer.runRound();
            assertThat(retrainer.decisions()).hasSize(2);
            assertThat(retrainer.decisions().get(1).servingVersion()).isEqualTo(decision.candidateVersion());
        }
    }

    @Test
    void a_correction_that_chooses_worse_on_held_out_requests_is_refused(@TempDir Path work) throws Exception {
        // given held-out labels where the cheap model writes limericks well and fails at calculus, and training labels
        // that say the opposite
        List<RouterModel> published = new ArrayList<>();
        RetrainerSettings settings = settings(work);
        LabelBook split = new LabelBook(BEST, CHEAP, settings.holdoutPercent());
        try (PredictorRetrainer retrainer = retrainer(settings, published::add)) {
            String before = retrainer.serving().info().version();

            // when
            for (int i = 0; i < 200; i++) {
                boolean limerick = i % 2 == 0;
                boolean cheapGood = split.isHeldOut("req-" + i) == limerick;
                retrainer.accept(rating(i, CHEAP, cheapGood ? 1.0 : 0.0));
                retrainer.accept(rating(i, BEST, 0.95));
            }
            retrainer.runRound();

            // then
            assertThat(retrainer.decisions()).hasSize(1);
            PredictorDecision decision = retrainer.decisions().get(0);
            assertThat(decision.promoted()).as(decision.reason()).isFalse();
            assertThat(decision.reason()).startsWith("refused, selects worse");
            assertThat(decision.candidateSelection()).isLessThan(decision.servingSelection());
            assertThat(published).isEmpty();
            assertThat(retrainer.serving().info().version()).isEqualTo(before);
        }
    }

    @Test
    void requests_labelled_for_one_model_cannot_decide_a_round(@TempDir Path work) throws Exception {
        try (PredictorRetrainer retrainer = retrainer(settings(work), m -> {})) {
            for (int i = 0; i < 200; i++) {
                retrainer.accept(rating(i, i % 3 == 0 ? BEST : CHEAP, i % 2 == 0 ? 1.0 : 0.1));
            }
            retrainer.runRound();

            assertThat(retrainer.labels()).isEqualTo(200);
            assertThat(retrainer.decisions()).isEmpty();
        }
    }

    @Test
    void preferences_and_models_it_does_not_know_are_refused_and_no_round_runs_without_enough_labels(@TempDir Path work)
            throws Exception {
        try (PredictorRetrainer retrainer = retrainer(settings(work), m -> {})) {
            // when
            for (int i = 0; i < 30; i++) {
                String id = "req-" + i;
                retrainer.accept(new LabeledPrompt(
                        id,
                        prompt(i),
                        Tier.STRONG,
                        BEST,
                        "v0",
                        0.5,
                        new Feedback(id, FeedbackSource.HUMAN, null, "strong", null, null, 1),
                        1));
                retrainer.accept(rating(i, "some-model-not-served", 1.0));
            }
            for (int i = 0; i < 5; i++) {
                retrainer.accept(rating(i, CHEAP, 1.0));
            }
            retrainer.runRound();

            // then
            assertThat(retrainer.refusedLabels()).isEqualTo(60);
            assertThat(retrainer.labels()).isEqualTo(5);
            assertThat(retrainer.decisions()).isEmpty();
        }
    }
}
