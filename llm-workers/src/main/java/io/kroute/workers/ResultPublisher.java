package io.kroute.workers;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.vertx.core.Future;

/** Where a worker's results go; each future completes when the broker has acknowledged the record. */
public interface ResultPublisher {

    /** Publishes to the responses topic, keyed by request id. */
    Future<Void> publishResponse(LlmResponse response);

    /** Publishes to the dead-letter topic, keyed by the original record key. */
    Future<Void> publishDeadLetter(DeadLetter deadLetter);

    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
