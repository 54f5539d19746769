package io.kroute.replay;

/**
 * What one model did on one benchmark question, as RouteLLM recorded it.
 *
 * @param correct whether the recorded answer was graded correct
 * @param text the recorded answer text, or null when only correctness was recorded (all of MMLU)
 */
public record RecordedAnswer(boolean correct, String text) {}
