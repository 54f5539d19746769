package io.kroute.retrain;

import java.util.List;

/**
 * One round of a many-model predictor's retraining, promoted or not, with the numbers it was decided on. Both
 * predictors are scored on the same held-out requests, which no candidate ever trains on.
 *
 * @param round the retraining round, from 1
 * @param candidateVersion the version of the candidate predictor
 * @param servingVersion the version of the predictor in service when the decision was made
 * @param labels labels received so far
 * @param trainingAnswers labelled answers the correction learned from
 * @param heldOutAnswers labelled answers it was evaluated on, of held-out requests labelled for two or more models
 * @param correctedModels the models with enough labels to be corrected; the others keep the heads in service
 * @param penalty the correction's ridge penalty, chosen by 5-fold CV on the training answers
 * @param candidateSelection how well the candidate chooses among each held-out request's labelled models: the mean
 *     quality of its trade-off sweep over the cost range (what promotion compares)
 * @param servingSelection the same for the predictor in service
 * @param candidateError the candidate's mean squared error on the held-out answers, on the predictor's quality scale
 * @param servingError the predictor in service's on the same answers
 * @param promoted whether the candidate was put in service
 * @param reason why, in words
 * @param decidedAt epoch milliseconds
 */
public record PredictorDecision(
        int round,
        String candidateVersion,
        String servingVersion,
        int labels,
        int trainingAnswers,
        int heldOutAnswers,
        List<String> correctedModels,
        double penalty,
        double candidateSelection,
        double servingSelection,
        double candidateError,
        double servingError,
        boolean promoted,
        String reason,
        long decidedAt) {

    public PredictorDecision {
        correctedModels = List.copyOf(correctedModels);
    }
}
