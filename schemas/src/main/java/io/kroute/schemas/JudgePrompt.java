package io.kroute.schemas;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MT-Bench's pairwise judge prompt, the contract between the judge labeller and any OpenAI-compatible judge model:
 * a question, two answers, and a verdict {@code [[A]]}, {@code [[B]]} or {@code [[C]]} (tie).
 */
public final class JudgePrompt {

    private static final Pattern VERDICT = Pattern.compile("\\[\\[([ABC])\\]\\]");

    private JudgePrompt() {}

    /** The user turn asking a judge to compare {@code answerA} and {@code answerB} on {@code question}. */
    public static String pairwise(String question, String answerA, String answerB) {
        return "Please act as an impartial judge and evaluate the quality of the responses provided by two AI "
                + "assistants to the user question displayed below. Output your final verdict by strictly following "
                + "this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and "
                + "\"[[C]]\" for a tie.\n\n"
                + "[User Question]\n" + question + "\n\n"
                + "[The Start of Assistant A's Answer]\n" + answerA + "\n[The End of Assistant A's Answer]\n\n"
                + "[The Start of Assistant B's Answer]\n" + answerB + "\n[The End of Assistant B's Answer]";
    }

    /** The verdict in a judgement: {@code A}, {@code B} or {@code C} (tie); empty when there is none. */
    public static Optional<Character> verdict(String judgement) {
        Matcher m = VERDICT.matcher(judgement);
        return m.find() ? Optional.of(m.group(1).charAt(0)) : Optional.empty();
    }
}
