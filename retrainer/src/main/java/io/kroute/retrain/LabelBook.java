package io.kroute.retrain;

import io.kroute.router.data.ScoredAnswer;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.LabeledPrompt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The labels gathered so far, one entry per request, turned into scored answers (the quality of the strong and the weak
 * model's answer on the prompt). A golden label scores the answer of the model it names 1 or 0, a rating scores it
 * with the rating, a preference scores the preferred tier 1 and the other 0 (a tie 0.5 each). A request becomes an
 * example once both models have a score.
 *
 * <p>What a labeller can do to the book is bounded: one label per request, source and model (or pair, for a
 * preference) counts, the first one; later ones are refused, so 2,500 labels for one request weigh what one does. Only
 * the configured sources count. Requests are split for good into training and held-out ones by a keyed hash of the
 * request id (HMAC-SHA256 with a secret salt), so a held-out prompt is never trained on, whatever the order labels
 * arrive in, and a labeller cannot tell which of their labels decide promotions.
 */
final class LabelBook {

    private record Entry(String prompt, Map<String, Double> scores) {}

    private final String strongModel;
    private final String weakModel;
    private final int holdoutPercent;
    private final Mac holdoutKey;
    private final Set<String> sources;
    private final Set<String> models;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<String> counted = new HashSet<>();
    private int labels;
    private int refused;
    private int labelsAtMark;

    LabelBook(String strongModel, String weakModel, int holdoutPercent) {
        this(strongModel, weakModel, holdoutPercent, "", Set.of());
    }

    /**
     * @param holdoutSalt the secret the held-out split is keyed with; empty for the public CRC of the request id
     * @param sources the label sources that count; empty for all
     */
    LabelBook(String strongModel, String weakModel, int holdoutPercent, String holdoutSalt, Set<String> sources) {
        this(strongModel, weakModel, Set.of(), holdoutPercent, holdoutSalt, sources);
    }

    /**
     * A book for a predictor of many models: only ratings and golden labels of the models it names count (a preference
     * names a tier, which many models do not have).
     */
    static LabelBook forModels(Set<String> models, int holdoutPercent, String holdoutSalt, Set<String> sources) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a predictor's label book needs its models");
        }
        return new LabelBook(null, null, models, holdoutPercent, holdoutSalt, sources);
    }

    private LabelBook(
            String strongModel,
            String weakModel,
            Set<String> models,
            int holdoutPercent,
            String holdoutSalt,
            Set<String> sources) {
        if (holdoutPercent < 1 || holdoutPercent > 90) {
            throw new IllegalArgumentException("held-out share must be 1 to 90 percent, got " + holdoutPercent);
        }
        this.strongModel = strongModel;
        this.weakModel = weakModel;
        this.holdoutPercent = holdoutPercent;
        this.holdoutKey = holdoutSalt.isEmpty() ? null : hmac(holdoutSalt);
        this.sources = Set.copyOf(sources);
        this.models = Set.copyOf(models);
    }

    private static Mac hmac(String salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes a label; returns false (and counts it as refused) when its source does not count or it is a repeat. */
    boolean add(LabeledPrompt example) {
        Feedback label = example.label();
        String source = label.source().wireName();
        String about = label.preferred() != null ? "pair" : modelOf(label, example);
        if ((!sources.isEmpty() && !sources.contains(source))
                || (!models.isEmpty() && (label.preferred() != null || !models.contains(about)))
                || !counted.add(example.requestId() + '\u0000' + source + '\u0000' + about)) {
            refused++;
            return false;
        }
        Entry entry = entries.computeIfAbsent(example.requestId(), id -> new Entry(example.prompt(), new HashMap<>()));
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
            entry.scores().put(about, label.correct() ? 1.0 : 0.0);
        } else if (label.rating() != null) {
            entry.scores().put(about, label.rating());
        }
        labels++;
        return true;
    }

    /** A label names its model; without one, it is about the answer of the model the prompt was routed to. */
    private static String modelOf(Feedback label, LabeledPrompt example) {
        return label.model() != null ? label.model() : example.routedModel();
    }

    boolean isHeldOut(String requestId) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        long hash;
        if (holdoutKey == null) {
            CRC32C crc = new CRC32C();
            crc.update(id);
            hash = crc.getValue();
        } else {
            Mac mac;
            try {
                mac = (Mac) holdoutKey.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
            hash = ByteBuffer.wrap(mac.doFinal(id)).getLong() >>> 1;
        }
        return hash % 100 < holdoutPercent;
    }

    /** Examples (both models scored) for training: the requests not held out. */
    List<ScoredAnswer> training() {
        return examples(false);
    }

    /** Examples (both models scored) held out for the promotion decision. */
    List<ScoredAnswer> heldOut() {
        return examples(true);
    }

    /** Every request with at least one answer scored, training or held-out: a predictor learns from partial rows. */
    List<ScoredAnswer> scored(boolean heldOut) {
        List<ScoredAnswer> out = new ArrayList<>();
        entries.forEach((id, entry) -> {
            if (isHeldOut(id) == heldOut && !entry.scores().isEmpty()) {
                out.add(new ScoredAnswer("feedback/" + id, entry.prompt(), Map.copyOf(entry.scores())));
            }
        });
        return out;
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

    /** Labels that counted. */
    int labels() {
        return labels;
    }

    /** Labels refused: a source that does not count, or a repeat for the same request, source and model. */
    int refused() {
        return refused;
    }

    int labelsSinceMark() {
        return labels - labelsAtMark;
    }

    void mark() {
        labelsAtMark = labels;
    }
}
