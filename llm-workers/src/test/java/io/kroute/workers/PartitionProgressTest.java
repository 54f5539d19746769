package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.schemas.DeadLetter;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private static final Outcome OUTCOME =
            Outcome.deadLettered(new DeadLetter("k", "", "t", 0, 0, "llm-workers", "r", 0));

    @Test
    void offersOnlyTheFinishedPrefix() {
        PartitionProgress progress = new PartitionProgress();
        progress.taken(10);
        progress.taken(11);
        progress.taken(14); // a gap, e.g. a transaction marker at 12 and 13

        progress.finished(11, OUTCOME);
        progress.finished(14, OUTCOME);

        assertThat(progress.readyPrefix()).isEmpty();
        assertThat(progress.inFlight()).isEqualTo(1);
        assertThat(progress.uncommitted()).isEqualTo(3);

        progress.finished(10, OUTCOME);

        assertThat(progress.readyPrefix())
                .extracting(PartitionProgress.Finished::offset)
                .containsExactly(10L, 11L, 14L);
    }

    @Test
    void forgetsWhatWasCommitted() {
        PartitionProgress progress = new PartitionProgress();
        progress.taken(1);
        progress.taken(2);
        progress.taken(3);
        progress.finished(1, OUTCOME);
        progress.finished(2, OUTCOME);

        progress.committed(progress.readyPrefix().size());

        assertThat(progress.uncommitted()).isEqualTo(1);
        assertThat(progress.readyPrefix()).isEmpty();
        progress.finished(3, OUTCOME);
        assertThat(progress.readyPrefix())
                .extracting(PartitionProgress.Finished::offset)
                .containsExactly(3L);
    }

    @Test
    void ignoresOutcomesOfRecordsItDoesNotTrack() {
        PartitionProgress progress = new PartitionProgress();
        progress.taken(5);

        progress.finished(4, OUTCOME);

        assertThat(progress.readyPrefix()).isEmpty();
        assertThat(progress.inFlight()).isEqualTo(1);
    }
}
