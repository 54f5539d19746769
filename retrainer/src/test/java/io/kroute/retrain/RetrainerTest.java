package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.ModelCard;
import io.kroute.router.RandomRouter;
import io.kroute.router.Router;
import io.kroute.router.RouterInfo;
import io.kroute.router.RouterLoader;
import io.kroute.router.TrainedRouter;
import io.kroute.router.encoder.OnnxPromptEncoder;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrainer on a task with a real signal: arithmetic word problems need the strong model (only it gets them
 * right), small talk does not (both do). Prompts are encoded by the real MiniLM encoder.
 */
class RetrainerTest {

    private static final String STRONG = "strong-m";
    private static final String WEAK = "weak-m";
    private static PromptEncoder encoder;

    @BeforeAll
    static void loadEncoder() {
        encoder = OnnxPromptEncoder.miniLm(2, OnnxPromptEncoder.EXACT);
    }

    @AfterAll
    static void closeEncoder() throws Exception {
        encoder.close();
    }

    /** Prompt i, and whether it needs the strong model. */
    private static String prompt(int i) {
        Random random = new Random(i);
        if (i % 2 == 0) {
            return "A train leaves at " + (1 + random.nextInt(11)) + " pm travelling " + (40 + random.nextInt(80))
                    + " miles per hour; another leaves " + (1 + random.nextInt(5)) + " hours later at "
                    + (60 + random.nextInt(60)) + " mph. How many miles from the station does the second catch up?";
        }
        String[] greetings = {"Say hello to", "Write a friendly greeting for", "Wish a good morning to", "Thank"};
        String[] names = {"Alice", "my neighbour", "the team", "Grandma", "our new colleague", "Bob", "my teacher"};
        return greetings[random.nextInt(greetings.length)] + " " + names[random.nextInt(names.length)] + " (" + i + ")";
    }

    /** Two golden labels per request; training requests get noise instead of the truth when asked. */
    private static List<LabeledPrompt> goldenLabels(int from, int to, boolean noisyTraining) {
        LabelBook split = new LabelBook(
                STRONG, WEAK, RetrainerSettings.defaults(STRONG, WEAK).holdoutPercent());
        List<LabeledPrompt> labels = new ArrayList<>();
        Random random = new Random(7);
        for (int i = from; i < to; i++) {
            boolean noisy = noisyTraining && !split.isHeldOut("req-" + i);
            boolean hard = noisy ? random.nextBoolean() : i % 2 == 0;
            String id = "req-" + i;
            String text = prompt(i);
            labels.add(new LabeledPrompt(
                    id,
                    text,
                    Tier.WEAK,
                    WEAK,
                    "v0",
                    0.5,
                    new Feedback(id, FeedbackSource.GOLDEN, STRONG, null, null, true, 1),
                    1));
            labels.add(new LabeledPrompt(
                    id,
                    text,
                    Tier.WEAK,
                    WEAK,
                    "v0",
                    0.5,
                    new Feedback(id, FeedbackSource.GOLDEN, WEAK, null, null, !hard, 1),
                    1));
        }
        return labels;
    }

    @Test
    void a_candidate_that_learned_the_signal_beats_random_and_is_promoted(@TempDir Path work) throws Exception {
        // given
        List<RouterModel> published = new ArrayList<>();
        RetrainerSettings settings = RetrainerSettings.defaults(STRONG, WEAK)
                .withMinNewLabels(400)
                .withMinHeldOut(20)
                .withWorkDir(work);
        try (Retrainer retrainer = new Retrainer(settings, encoder, new RandomRouter(3), List.of(), published::add)) {

            // when: 200 requests, two golden labels each
            for (LabeledPrompt label : goldenLabels(0, 200, false)) {
                retrainer.accept(label);
            }

            // then
            assertThat(retrainer.decisions()).hasSize(1);
            PromotionDecision round = retrainer.decisions().get(0);
            assertThat(round.promoted()).isTrue();
            // Half the prompts need the strong model, so even the oracle reaches only about 0.75.
            assertThat(round.candidateApgr()).isGreaterThan(0.65);
            assertThat(round.servingApgr()).isLessThan(round.candidateApgr());
            assertThat(published).singleElement().satisfies(model -> {
                assertThat(model.version()).isEqualTo(round.candidateVersion());
                assertThat(model.kind()).isEqualTo("mf");
                assertThat(model.materialize(work.resolve("check"))).exists();
            });
            assertThat(retrainer.serving().info().version()).isEqualTo(round.candidateVersion());
            assertThat(Files.readString(work.resolve("decisions.jsonl"))).contains("\"promoted\":true");
        }
    }

    @Test
    void a_restarted_retrainer_numbers_its_candidates_on_and_overwrites_none(@TempDir Path work) throws Exception {
        // given: the candidates of an earlier run (round-3 the highest), and names that are not rounds
        Path candidates = Files.createDirectories(work.resolve("candidates"));
        Path earlier = Files.writeString(
                Files.createDirectories(candidates.resolve("round-1")).resolve(ModelCard.FILE),
                "published by location");
        Files.createDirectories(candidates.resolve("round-3"));
        Files.createDirectories(candidates.resolve("round-x"));
        Files.writeString(candidates.resolve("round-9"), "a file, not a round");
        RetrainerSettings settings = RetrainerSettings.defaults(STRONG, WEAK)
                .withMinNewLabels(400)
                .withMinHeldOut(20)
                .withWorkDir(work);
        try (Retrainer retrainer = new Retrainer(settings, encoder, new RandomRouter(3), List.of(), model -> {})) {

            // when
            for (LabeledPrompt label : goldenLabels(0, 200, false)) {
                retrainer.accept(label);
            }

            // then
            assertThat(retrainer.decisions()).singleElement().satisfies(d -> assertThat(d.round())
                    .isEqualTo(4));
            assertThat(candidates.resolve("round-4").resolve(ModelCard.FILE)).exists();
            assertThat(Files.readString(earlier)).isEqualTo("published by location");
        }
    }

    @Test
    void candidates_are_trained_on_the_encoder_of_the_router_in_service(@TempDir Path work) throws Exception {
        // given: a shipped router over the static encoder in service, no encoder configured
        RetrainerSettings settings = RetrainerSettings.defaults(STRONG, WEAK)
                .withMinNewLabels(400)
                .withMinHeldOut(20)
                .withWorkDir(work);
        Router serving = RouterLoader.load("static-mf"); // the retrainer owns it from here
        String servingEncoder = ((TrainedRouter) serving).encoderId().orElseThrow();
        try (PromptEncoder own = CandidateEncoder.open(CandidateEncoder.spec(" ", serving));
                Retrainer retrainer = new Retrainer(settings, own, serving, List.of(), model -> {})) {

            // when
            for (LabeledPrompt label : goldenLabels(0, 200, false)) {
                retrainer.accept(label);
            }

            // then: the candidate routes with the same encoder as the router it would replace
            assertThat(servingEncoder).contains("/static-");
            assertThat(retrainer.decisions()).hasSize(1);
            ModelCard candidate = ModelCard.fromJson(Files.readAllBytes(
                    work.resolve("candidates").resolve("round-1").resolve(ModelCard.FILE)));
            assertThat(candidate.encoder()).isEqualTo(servingEncoder);
        }
        assertThat(CandidateEncoder.spec("minilm-static", new RandomRouter(1))).isEqualTo("minilm-static");
        assertThat(CandidateEncoder.spec(null, new RandomRouter(1))).isEqualTo(CandidateEncoder.FALLBACK);
    }

    @Test
    void a_worse_candidate_is_refused_and_the_refusal_is_logged(@TempDir Path work) throws Exception {
        // given: the router in service knows which prompts are hard; the candidate's training labels are noise
        Router knowing = new Router() {
            @Override
            public double score(String text) {
                return text.startsWith("A train") ? 0.9 : 0.1;
            }

            @Override
            public double thresholdForStrongShare(double share) {
                return 0.5;
            }

            @Override
            public RouterInfo info() {
                return new RouterInfo("oracle", "oracle-1");
            }
        };
        List<RouterModel> published = new ArrayList<>();
        RetrainerSettings settings = RetrainerSettings.defaults(STRONG, WEAK)
                .withMinNewLabels(400)
                .withMinHeldOut(20)
                .withWorkDir(work);
        try (Retrainer retrainer = new Retrainer(settings, encoder, knowing, List.of(), published::add)) {

            // when: training labels say nothing about the prompts; held-out labels are the truth
            for (LabeledPrompt label : goldenLabels(0, 200, true)) {
                retrainer.accept(label);
            }

            // then
            assertThat(retrainer.decisions()).hasSize(1);
            PromotionDecision round = retrainer.decisions().get(0);
            assertThat(round.promoted()).isFalse();
            assertThat(round.reason()).startsWith("refused");
            assertThat(published).isEmpty();
            assertThat(retrainer.serving().info().version()).isEqualTo("oracle-1");
            assertThat(Files.readString(work.resolve("decisions.jsonl"))).contains("\"promoted\":false");
        }
    }
}
