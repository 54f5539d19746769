package io.kroute.workers;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ResultPublisher} that keeps what it is given, and can fail the first few publishes. */
final class RecordingPublisher implements ResultPublisher {

    final List<LlmResponse> responses = new CopyOnWriteArrayList<>();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Future<Void> publishResponse(LlmResponse response) {
        calls.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Future.failedFuture(new IllegalStateException("broker unavailable"));
        }
        responses.add(response);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> publishDeadLetter(DeadLetter deadLetter) {
        calls.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Future.failedFuture(new IllegalStateException("broker unavailable"));
        }
        deadLetters.add(deadLetter);
        return Future.succeededFuture();
    }
}
