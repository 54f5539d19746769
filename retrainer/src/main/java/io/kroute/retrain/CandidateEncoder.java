package io.kroute.retrain;

import io.kroute.router.Router;
import io.kroute.router.TrainedRouter;
import io.kroute.router.encoder.CachingPromptEncoder;
import io.kroute.router.encoder.EmbeddingCache;
import io.kroute.router.encoder.Encoders;
import io.kroute.router.encoder.OnnxPromptEncoder;
import io.kroute.router.encoder.PromptEncoder;

/**
 * The prompt encoder the retrainer trains candidates on ({@code kroute.retrainer.encoder}). Unless configured, it is
 * the encoder of the router in service, so a promoted router routes as fast as the one it replaces: retraining the
 * shipped {@code default} (static encoder, thousands of prompts per second) does not put MiniLM (about a hundred per
 * second on two cores) in the stream's path.
 */
public final class CandidateEncoder {

    public static final String PROPERTY = "kroute.retrainer.encoder";

    /** When neither the configuration nor the router in service names one (e.g. the random router). */
    public static final String FALLBACK = "minilm";

    private CandidateEncoder() {}

    /** The configured spec if not blank, else the model card's encoder of the router in service, else MiniLM. */
    public static String spec(String configured, Router serving) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        if (serving instanceof TrainedRouter trained && trained.encoderId().isPresent()) {
            return trained.card().encoder();
        }
        return FALLBACK;
    }

    /** Opens a spec with exact (batch-1) vectors, as routers serve; a transformer's vectors are cached on disk. */
    public static PromptEncoder open(String spec) {
        return Encoders.fromSpec(
                spec,
                Runtime.getRuntime().availableProcessors(),
                OnnxPromptEncoder.EXACT,
                base -> CachingPromptEncoder.onDisk(base, EmbeddingCache.defaultDirectory(), done -> {}));
    }
}
