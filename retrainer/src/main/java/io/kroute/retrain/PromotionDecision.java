package io.kroute.retrain;

/**
 * One retraining round, promoted or not, with the numbers it was decided on. Both routers are evaluated on the same
 * held-out requests, which no candidate ever trains on.
 *
 * @param round the retraining round, from 1
 * @param candidateVersion the version of the candidate router
 * @param servingVersion the version of the router in service when the decision was made
 * @param labels labels received so far
 * @param trainingExamples prompts with both models scored that the candidate trained on (plus base data, if any)
 * @param heldOutExamples prompts it was evaluated on
 * @param candidateApgr the candidate's APGR on the held-out prompts
 * @param servingApgr the router in service's APGR on the same prompts
 * @param candidateCpt50 the share of strong calls the candidate needs for 50% of the quality gap
 * @param servingCpt50 the same for the router in service
 * @param threshold the candidate's threshold for the configured share of strong calls
 * @param promoted whether the candidate was put in service
 * @param reason why, in words
 * @param decidedAt epoch milliseconds
 */
public record PromotionDecision(
        int round,
        String candidateVersion,
        String servingVersion,
        int labels,
        int trainingExamples,
        int heldOutExamples,
        double candidateApgr,
        double servingApgr,
        double candidateCpt50,
        double servingCpt50,
        double threshold,
        boolean promoted,
        String reason,
        long decidedAt) {}
