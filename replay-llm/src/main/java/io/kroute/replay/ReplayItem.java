package io.kroute.replay;

import java.util.Map;
import java.util.Optional;

/**
 * One benchmark question with the recorded answers of each model.
 *
 * @param id stable id: {@code gsm8k-test-<row>} or {@code mmlu-<subject>-<row>}, rows counted from 0 in the source
 * @param benchmark {@code gsm8k} or {@code mmlu}
 * @param prompt the question exactly as RouteLLM sent it (MMLU: question, choices and {@code Answer:})
 * @param answers keyed by model name, see {@link ReplayDataset#STRONG_MODEL} and {@link ReplayDataset#WEAK_MODEL}
 */
public record ReplayItem(String id, String benchmark, String prompt, Map<String, RecordedAnswer> answers) {

    public ReplayItem {
        answers = Map.copyOf(answers);
    }

    public Optional<RecordedAnswer> answer(String model) {
        return Optional.ofNullable(answers.get(model));
    }
}
