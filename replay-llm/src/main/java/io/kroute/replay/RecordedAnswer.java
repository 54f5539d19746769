package io.kroute.replay;

/**
 * What one model did on one benchmark question, as recorded.
 *
 * <p>One graded quality serves both kinds of record: GSM8K and MMLU were graded right or wrong (quality 1 or 0),
 * Arena answers were scored 1 to 10 by a GPT-4 judge (quality = score / 10). Comparing qualities therefore ranks
 * answers of either kind the same way.
 *
 * @param quality how good the answer was judged, in [0, 1]; null when the judge's score could not be read (a few
 *     Arena answers)
 * @param text the recorded answer text, or null when only correctness was recorded (all of MMLU)
 */
public record RecordedAnswer(Double quality, String text) {

    public RecordedAnswer {
        if (quality != null && !(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("quality must be in [0, 1], got " + quality);
        }
    }

    /** A GSM8K or MMLU answer graded right or wrong. */
    public static RecordedAnswer graded(boolean correct, String text) {
        return new RecordedAnswer(correct ? 1.0 : 0.0, text);
    }

    /** An Arena answer with the GPT-4 judge's score from 1 to 10, or null when the judge gave none. */
    public static RecordedAnswer scored(Integer score, String text) {
        if (score != null && (score < 1 || score > 10)) {
            throw new IllegalArgumentException("a judge score is from 1 to 10, got " + score);
        }
        return new RecordedAnswer(score == null ? null : score / 10.0, text);
    }

    /** Whether the answer got full marks: for GSM8K and MMLU, graded correct; for Arena, scored 10. */
    public boolean correct() {
        return quality != null && quality == 1.0;
    }

    /**
     * The answer's length in Unicode code points (what Python's {@code len} counts, as the Arena data's
     * {@code answer_chars} does), a proxy for what the answer costs; 0 when no text was recorded.
     */
    public int chars() {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }
}
