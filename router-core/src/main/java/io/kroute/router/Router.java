package io.kroute.router;

import java.util.List;

/**
 * Scores prompts for routing. A score is the router's estimate of P(the strong model's answer is at least as good as
 * the weak model's): the higher, the more the prompt needs the strong model. The topology sends a prompt to the
 * strong tier when its score is at or above the threshold (RouteLLM's {@code calculate_strong_win_rate}).
 *
 * <p>Implementations are thread-safe and deterministic: the same text always gets the same score, so a record that
 * is processed again after a failure is routed the same way.
 */
public interface Router extends AutoCloseable {

    /** The score of one prompt, in [0, 1]. */
    double score(String prompt);

    /** Scores many prompts at once; learned routers batch the encoder here. */
    default double[] scoreBatch(List<String> prompts) {
        double[] scores = new double[prompts.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(prompts.get(i));
        }
        return scores;
    }

    /**
     * The threshold that sends the given share of traffic to the strong model, from the score quantiles measured on a
     * calibration sample (RouteLLM's {@code calibrate_threshold}).
     *
     * @param strongShare the target share of strong calls, in [0, 1]
     */
    double thresholdForStrongShare(double strongShare);

    /** What this router is, for the routing decision and the logs. */
    RouterInfo info();

    @Override
    default void close() {}
}
