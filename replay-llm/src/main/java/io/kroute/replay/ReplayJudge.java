package io.kroute.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replay endpoint's stand-in for an LLM judge (model {@value #MODEL}): given MT-Bench's pairwise judge prompt
 * (a question and two answers), it gives the verdict the recorded grades imply, in MT-Bench's verdict format
 * {@code [[A]]}, {@code [[B]]} or {@code [[C]]}. On GSM8K and MMLU the correct answer wins and two correct or two
 * wrong answers tie (RouteLLM's correctness); on Arena the answer the GPT-4 judge scored higher wins and equal scores
 * tie. Each answer is matched to the model whose recorded answer to the question it is.
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
        Optional<RecordedAnswer> a = recorded(item.get(), question, m.group(2));
        Optional<RecordedAnswer> b = recorded(item.get(), question, m.group(3));
        if (a.isEmpty() || b.isEmpty()) {
            return "An answer is not one of the recorded answers to this question. [[C]]";
        }
        return item.get().benchmark().equals(ReplayDataset.ARENA)
                ? byScore(a.get(), b.get())
                : byCorrectness(a.get().correct(), b.get().correct());
    }

    private static String byCorrectness(boolean a, boolean b) {
        if (a == b) {
            return "Both answers are recorded as " + (a ? "correct" : "incorrect") + ". [[C]]";
        }
        return a
                ? "Assistant A's answer is recorded as correct, B's as incorrect. [[A]]"
                : "Assistant B's answer is recorded as correct, A's as incorrect. [[B]]";
    }

    private static String byScore(RecordedAnswer a, RecordedAnswer b) {
        if (a.quality() == null || b.quality() == null) {
            return "An answer has no recorded score to compare. [[C]]";
        }
        String scores = "A's answer is recorded with " + score(a) + "/10, B's with " + score(b) + "/10. ";
        int order = Double.compare(a.quality(), b.quality());
        return scores + (order > 0 ? "[[A]]" : order < 0 ? "[[B]]" : "[[C]]");
    }

    private static long score(RecordedAnswer answer) {
        return Math.round(answer.quality() * 10);
    }

    /**
     * The recorded answer that {@code answer} is. An exact match wins; else a recorded answer it begins (the workers may
     * have been given a max_tokens, and a truncated recorded answer still counts as that answer). Arena's models often
     * begin alike, so when several recorded answers match and their grades differ, the answer is not identified.
     */
    private Optional<RecordedAnswer> recorded(ReplayItem item, String question, String answer) {
        String given = answer.strip();
        if (given.isEmpty()) {
            return Optional.empty();
        }
        List<RecordedAnswer> exact = new ArrayList<>();
        List<RecordedAnswer> prefix = new ArrayList<>();
        for (var entry : item.answers().entrySet()) {
            String recorded = answers.answerText(entry.getKey(), question).strip();
            if (recorded.equals(given)) {
                exact.add(entry.getValue());
            } else if (recorded.startsWith(given)) {
                prefix.add(entry.getValue());
            }
        }
        List<RecordedAnswer> matches = exact.isEmpty() ? prefix : exact;
        boolean oneGrade =
                matches.stream().map(RecordedAnswer::quality).distinct().count() == 1;
        return oneGrade ? Optional.of(matches.get(0)) : Optional.empty();
    }
}
