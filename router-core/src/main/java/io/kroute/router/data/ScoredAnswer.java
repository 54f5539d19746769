package io.kroute.router.data;

import java.util.Map;

/**
 * One prompt with the quality of each model's answer: correctness 0/1 or a judge score. JSONL form:
 * {@code {"id": "...", "prompt": "...", "scores": {"model": number}}}.
 */
public record ScoredAnswer(String id, String prompt, Map<String, Double> scores) {

    public ScoredAnswer {
        scores = Map.copyOf(scores);
    }

    /** The first part of the id, e.g. {@code mmlu} for {@code mmlu/anatomy/12}. */
    public String source() {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    /** The group used for per-subject baselines: {@code mmlu/anatomy} for {@code mmlu/anatomy/12}. */
    public String group() {
        return groupOf(id);
    }

    /** The group of an id: its part before the last '/' (e.g. {@code routerbench-arc_challenge}, a task). */
    public static String groupOf(String id) {
        int slash = id.lastIndexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }
}
