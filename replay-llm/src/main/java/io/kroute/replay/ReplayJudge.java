package io.kroute.replay;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replay endpoint's stand-in for an LLM judge (model {@value #MODEL}): given MT-Bench's pairwise judge prompt
 * (a question and two answers), it gives the verdict RouteLLM's recorded correctness implies — the correct answer wins,
 * two correct or two wrong answers tie — in MT-Bench's verdict format {@code [[A]]}, {@code [[B]]} or {@code [[C]]}.
 * Each answer is matched to the model whose recorded answer to the question it is.
 */
public final class ReplayJudge {

    public static final String MODEL = "replay-judge";

    /** The parts of MT-Bench's pairwise prompt a judge needs; {@link io.kroute.schemas.JudgePrompt} writes it. */
    private static final Pattern PAIRWISE = Pattern.compile(
            "\\[User Question\\]\\n(.*?)\\n\\n\\[The Start of Assistant A's Answer\\]\\n(.*?)\\n"
                    + "\\[The End of Assistant A's Answer\\]\\n\\n\\[The Start of Assistant B's Answer\\]\\n(.*?)\\n"
                    + "\\[The End of Assistant B's Answer\\]",
            Pattern.DOTALL);

    private final ReplayDataset dataset;
    private final ChatCompletions answers;

    ReplayJudge(ReplayDataset dataset, ChatCompletions answers) {
        this.dataset = dataset;
        this.answers = answers;
    }

    /** The judgement for one judge prompt. */
    String judge(String userTurn) {
        Matcher m = PAIRWISE.matcher(userTurn);
        if (!m.find()) {
            return "I cannot find a question and two answers in MT-Bench's pairwise format. [[C]]";
        }
        String question = m.group(1);
        Optional<ReplayItem> item = dataset.findByPrompt(question);
        if (item.isEmpty()) {
            return "The question has no recorded answers to compare with. [[C]]";
        }
        Optional<Boolean> a = correctness(item.get(), question, m.group(2));
        Optional<Boolean> b = correctness(item.get(), question, m.group(3));
        if (a.isEmpty() || b.isEmpty()) {
            return "An answer is not one of the recorded answers to this question. [[C]]";
        }
        if (a.get().equals(b.get())) {
            return "Both answers are recorded as " + (a.get() ? "correct" : "incorrect") + ". [[C]]";
        }
        return a.get()
                ? "Assistant A's answer is recorded as correct, B's as incorrect. [[A]]"
                : "Assistant B's answer is recorded as correct, A's as incorrect. [[B]]";
    }

    /** Whether {@code answer} is the recorded answer of a model that got the question right. */
    private Optional<Boolean> correctness(ReplayItem item, String question, String answer) {
        for (var entry : item.answers().entrySet()) {
            String recorded = answers.answerText(entry.getKey(), question).strip();
            String given = answer.strip();
            // The workers may have been given a max_tokens: a truncated recorded answer still counts as that answer.
            if (!given.isEmpty() && (recorded.equals(given) || recorded.startsWith(given))) {
                return Optional.of(entry.getValue().correct());
            }
        }
        return Optional.empty();
    }
}
