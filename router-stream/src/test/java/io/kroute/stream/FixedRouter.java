package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterInfo;

/** Scores by keyword, so a test knows the decision in advance: "hard" → 0.9, "boom" → throws, else 0.1. */
final class FixedRouter implements Router {

    @Override
    public double score(String prompt) {
        if (prompt.contains("boom")) {
            throw new IllegalStateException("scorer exploded");
        }
        return prompt.contains("hard") ? 0.9 : 0.1;
    }

    @Override
    public double thresholdForStrongShare(double strongShare) {
        return 1 - strongShare;
    }

    @Override
    public RouterInfo info() {
        return new RouterInfo("fixed", "test-1");
    }
}
