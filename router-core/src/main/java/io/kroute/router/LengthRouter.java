package io.kroute.router;

/**
 * The prompt-length baseline the evaluation reports beside the learned routers: longer prompts go to the strong model
 * first. The score is a monotone squashing of the length in characters, so only its order matters.
 */
public final class LengthRouter implements Router {

    public static final String KIND = "length";

    @Override
    public double score(String prompt) {
        double length = prompt.length();
        return length / (length + 500.0);
    }

    @Override
    public double thresholdForStrongShare(double strongShare) {
        throw new UnsupportedOperationException(
                "the length baseline has no calibration sample; evaluate it by deciles");
    }

    @Override
    public RouterInfo info() {
        return new RouterInfo(KIND, "chars/(chars+500)");
    }
}
