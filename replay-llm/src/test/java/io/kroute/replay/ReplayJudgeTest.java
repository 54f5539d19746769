package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.JudgePrompt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayJudgeTest {

    private static final ReplayDataset DATASET = ReplayDataset.loadBundled();
    private static final ChatCompletions COMPLETIONS =
            new ChatCompletions(DATASET, new TokenCounter(), Clock.systemUTC());

    private static ReplayItem item(boolean strongCorrect, boolean weakCorrect) {
        return DATASET.items(ReplayDataset.GSM8K).stream()
                .filter(i -> i.answer(ReplayDataset.STRONG_MODEL).orElseThrow().correct() == strongCorrect)
                .filter(i -> i.answer(ReplayDataset.WEAK_MODEL).orElseThrow().correct() == weakCorrect)
                .findFirst()
                .orElseThrow();
    }

    private static String judge(ReplayItem item, String modelA, String modelB) {
        String a = item.answer(modelA).orElseThrow().text();
        String b = item.answer(modelB).orElseThrow().text();
        JsonObject response = COMPLETIONS.complete(new JsonObject()
                .put("model", ReplayJudge.MODEL)
                .put(
                        "messages",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("role", "user")
                                        .put("content", JudgePrompt.pairwise(item.prompt(), a, b)))));
        return response.getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content");
    }

    @Test
    void the_recorded_correct_answer_wins_in_either_position() {
        ReplayItem onlyStrong = item(true, false);

        assertThat(JudgePrompt.verdict(judge(onlyStrong, ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL)))
                .contains('A');
        assertThat(JudgePrompt.verdict(judge(onlyStrong, ReplayDataset.WEAK_MODEL, ReplayDataset.STRONG_MODEL)))
                .contains('B');
    }

    @Test
    void two_correct_or_two_wrong_answers_tie() {
        assertThat(JudgePrompt.verdict(judge(item(true, true), ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL)))
                .contains('C');
        assertThat(JudgePrompt.verdict(judge(item(false, false), ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL)))
                .contains('C');
    }

    /** The first Arena item where {@code modelA}'s and {@code modelB}'s recorded scores compare as {@code order}. */
    private static ReplayItem arenaItem(String modelA, String modelB, int order) {
        return DATASET.items(ReplayDataset.ARENA).stream()
                .filter(i -> {
                    RecordedAnswer a = i.answer(modelA).orElseThrow();
                    RecordedAnswer b = i.answer(modelB).orElseThrow();
                    return a.quality() != null
                            && b.quality() != null
                            && a.chars() > 0
                            && b.chars() > 0
                            && Integer.signum(Double.compare(a.quality(), b.quality())) == order;
                })
                .findFirst()
                .orElseThrow();
    }

    @Test
    void on_arena_the_higher_recorded_score_wins_in_either_position() {
        ReplayItem item = arenaItem("claude-2", "llama-13b", 1);

        String verdict = judge(item, "claude-2", "llama-13b");

        assertThat(JudgePrompt.verdict(verdict)).contains('A');
        assertThat(verdict).contains("/10");
        assertThat(JudgePrompt.verdict(judge(item, "llama-13b", "claude-2"))).contains('B');
    }

    @Test
    void on_arena_equal_scores_tie() {
        ReplayItem item = arenaItem("gpt-4-0314", "gpt-3.5-turbo", 0);

        assertThat(JudgePrompt.verdict(judge(item, "gpt-4-0314", "gpt-3.5-turbo")))
                .contains('C');
    }

    @Test
    void a_prompt_out_of_format_or_an_unknown_answer_is_a_tie_and_verdicts_parse() {
        assertThat(JudgePrompt.verdict(new ReplayJudge(DATASET, COMPLETIONS).judge("who is better?")))
                .contains('C');
        ReplayItem item = item(true, false);
        String prompt = JudgePrompt.pairwise(
                item.prompt(),
                "made up",
                item.answer(ReplayDataset.WEAK_MODEL).orElseThrow().text());
        assertThat(new ReplayJudge(DATASET, COMPLETIONS).judge(prompt)).contains("not one of the recorded");
        assertThat(JudgePrompt.verdict("no verdict here")).isEqualTo(Optional.empty());
    }
}
