package io.kroute.retrain;

import io.kroute.schemas.LabeledPrompt;
import java.util.Optional;

/**
 * What the retrainer process runs on its labels: a two-model router's retrainer ({@link Retrainer}) or a many-model
 * predictor's ({@link PredictorRetrainer}), chosen by {@code kroute.retrainer.kind}.
 */
interface Learner extends AutoCloseable {

    /** Takes one label; runs a round when enough new labels have arrived, and returns its decision. */
    Optional<?> accept(LabeledPrompt example) throws Exception;

    /** Trains, evaluates and decides now, if the held-out slice is large enough. */
    Optional<?> runRound() throws Exception;

    /** Labels that counted. */
    int labels();

    /** Labels refused: a source or model that does not count, or a repeat for a request. */
    int refusedLabels();

    /** Rounds run since start. */
    int rounds();

    /** Candidates promoted since start. */
    int promotions();

    /** The version of the router in service, which candidates are compared with. */
    String servingVersion();

    @Override
    void close();
}
