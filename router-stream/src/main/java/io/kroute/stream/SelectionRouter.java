package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterInfo;

/**
 * A many-model selection in the place of the router the stream serves, so the app reports, logs, hot-swaps and closes
 * it like any router. It never scores a pair: decisions go through {@link ModelSelection}.
 */
final class SelectionRouter implements Router {

    private final ModelSelection selection;

    SelectionRouter(ModelSelection selection) {
        this.selection = selection;
    }

    /** The selection this router stands for: the one decisions go through while it is in service. */
    ModelSelection selection() {
        return selection;
    }

    @Override
    public double score(String prompt) {
        throw new UnsupportedOperationException("a many-model selection chooses a model; it scores no pair");
    }

    @Override
    public double thresholdForStrongShare(double strongShare) {
        return Double.NaN;
    }

    @Override
    public RouterInfo info() {
        return selection.info();
    }

    @Override
    public void close() {
        selection.close();
    }
}
