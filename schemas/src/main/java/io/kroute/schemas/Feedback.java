package io.kroute.schemas;

/**
 * A preference label for one request. Exactly one of {@code preferred}, {@code rating} or {@code correct} is set
 * (the schema enforces it).
 *
 * @param requestId the request the label is about
 * @param source human, LLM judge or golden label
 * @param model the model whose answer is labelled (for {@code rating} and {@code correct})
 * @param preferred which tier's answer was better: {@code strong}, {@code weak} or {@code tie}
 * @param rating a score of one answer, 0 (worst) to 1 (best), the scale golden labels use
 * @param correct whether the answer was correct (golden labels)
 * @param createdAt epoch milliseconds
 */
public record Feedback(
        String requestId,
        FeedbackSource source,
        String model,
        String preferred,
        Double rating,
        Boolean correct,
        long createdAt) {}
