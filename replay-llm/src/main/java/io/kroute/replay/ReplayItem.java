package io.kroute.replay;

import java.util.Map;
import java.util.Optional;

/**
 * One benchmark question with the recorded answers of each model.
 *
 * @param id stable id: {@code gsm8k-test-<row>} or {@code mmlu-<subject>-<row>}, rows counted from 0 in the source;
 *     {@code arena-<question_id>}
 * @param benchmark {@code gsm8k}, {@code mmlu} or {@code arena}
 * @param prompt the question exactly as it was sent (MMLU: question, choices and {@code Answer:}; Arena: the user's
 *     turn)
 * @param answers keyed by model name as the source names it: {@link ReplayDataset#STRONG_MODEL} and
 *     {@link ReplayDataset#WEAK_MODEL} for GSM8K and MMLU, {@link ReplayDataset#models(String)} for Arena
 */
public record ReplayItem(String id, String benchmark, String prompt, Map<String, RecordedAnswer> answers) {

    public ReplayItem {
        answers = Map.copyOf(answers);
    }

    /** The recorded answer of {@code model}, empty when it has none for this question. */
    public Optional<RecordedAnswer> answer(String model) {
        return Optional.ofNullable(answers.get(model));
    }
}
