package io.kroute.retrain;

import io.kroute.router.data.ScoredAnswer;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.LabeledPrompt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The labels gathered so far, one entry per request, turned into scored answers (the quality of the strong and the weak
 * model's answer on the prompt). A golden label scores the answer of the model it names 1 or 0, a rating scores it
 * with the rating, a preference scores the preferred tier 1 and the other 0 (a tie 0.5 each). A request becomes an
 * example once both models have a score.
 *
 * <p>Requests are split for good into training and held-out ones by a hash of the request id, so a held-out prompt
 * is never trained on, whatever the order labels arrive in.
 */
final class LabelBook {

    private record Entry(String prompt, Map<String, Double> scores) {}

    private final String strongModel;
    private final String weakModel;
    private final int holdoutPercent;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int labels;
    private int labelsAtMark;

    LabelBook(String strongModel, String weakModel, int holdoutPercent) {
        if (holdoutPercent < 1 || holdoutPercent > 90) {
            throw new IllegalArgumentException("held-out share must be 1 to 90 percent, got " + holdoutPercent);
        }
        this.strongModel = strongModel;
        this.weakModel = weakModel;
        this.holdoutPercent = holdoutPercent;
    }

    void add(LabeledPrompt example) {
        Entry entry = entries.computeIfAbsent(example.requestId(), id -> new Entry(example.prompt(), new HashMap<>()));
        Feedback label = example.label();
        if (label.preferred() != null) {
            double strong =
                    switch (label.preferred()) {
                        case "strong" -> 1.0;
                        case "weak" -> 0.0;
                        default -> 0.5;
                    };
            entry.scores().put(strongModel, strong);
            entry.scores().put(weakModel, 1.0 - strong);
        } else if (label.correct() != null) {
            entry.scores().put(modelOf(label, example), label.correct() ? 1.0 : 0.0);
        } else if (label.rating() != null) {
            entry.scores().put(modelOf(label, example), label.rating());
        }
        labels++;
    }

    /** A label names its model; without one, it is about the answer of the model the prompt was routed to. */
    private static String modelOf(Feedback label, LabeledPrompt example) {
        return label.model() != null ? label.model() : example.routedModel();
    }

    boolean isHeldOut(String requestId) {
        CRC32C crc = new CRC32C();
        crc.update(requestId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < holdoutPercent;
    }

    /** Examples (both models scored) for training: the requests not held out. */
    List<ScoredAnswer> training() {
        return examples(false);
    }

    /** Examples (both models scored) held out for the promotion decision. */
    List<ScoredAnswer> heldOut() {
        return examples(true);
    }

    private List<ScoredAnswer> examples(boolean heldOut) {
        List<ScoredAnswer> out = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (isHeldOut(id) == heldOut
                    && entry.scores().containsKey(strongModel)
                    && entry.scores().containsKey(weakModel)) {
                out.add(new ScoredAnswer("feedback/" + id, entry.prompt(), entry.scores()));
            }
        });
        return out;
    }

    int labels() {
        return labels;
    }

    int labelsSinceMark() {
        return labels - labelsAtMark;
    }

    void mark() {
        labelsAtMark = labels;
    }
}
