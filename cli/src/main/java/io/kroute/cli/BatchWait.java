package io.kroute.cli;

import io.kroute.progress.Progress;
import java.time.Duration;

/**
 * Polls a batch until it ends, showing its progress. A gateway that is briefly down or busy (a restart, a 503) does
 * not end the wait: the batch goes on without the client, so polling goes on for a while too. A refusal (401, 404)
 * ends it at once.
 */
final class BatchWait {

    private final GatewayClient client;
    private final Progress progress;
    private final Duration every;
    private final Duration patience;

    /**
     * @param every time between polls
     * @param patience how long polls may fail in a row before the wait gives up
     */
    BatchWait(GatewayClient client, Progress progress, Duration every, Duration patience) {
        this.client = client;
        this.progress = progress;
        this.every = every;
        this.patience = patience;
    }

    /** @return the batch in its terminal status */
    Batch untilFinished(Batch first) throws BatchFailure {
        Batch batch = first;
        long failingSince = 0;
        boolean failing = false;
        while (!batch.terminal()) {
            show(batch);
            sleep(batch);
            try {
                batch = Batch.from(client.get("/v1/batches/" + batch.id()));
                failing = false;
            } catch (BatchFailure e) {
                if (!e.retryable()) {
                    throw e;
                }
                long now = System.nanoTime();
                if (!failing) {
                    failing = true;
                    failingSince = now;
                } else if (now - failingSince > patience.toNanos()) {
                    throw new BatchFailure(e.getMessage() + "; gave up after " + patience.toSeconds()
                            + " s (the batch goes on: kroute batch status " + batch.id() + ")");
                }
            }
        }
        show(batch);
        return batch;
    }

    private void show(Batch batch) {
        // 0 total means not counted yet (validating), not an empty batch
        progress.update(batch.done(), batch.total() > 0 ? batch.total() : -1, BatchFormatter.progressNote(batch));
    }

    private void sleep(Batch batch) throws BatchFailure {
        try {
            Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatchFailure("stopped waiting; the batch goes on: kroute batch status " + batch.id());
        }
    }
}
