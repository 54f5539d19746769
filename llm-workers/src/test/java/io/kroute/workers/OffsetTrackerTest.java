package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void commitsNothingBeforeAnyRecordStarted() {
        assertThat(new OffsetTracker().committable()).isEmpty();
    }

    @Test
    void holdsTheCommitAtTheLowestOffsetStillInFlight() {
        // given
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 10; offset <= 14; offset++) {
            tracker.started(offset);
        }

        // when 11, 13 and 14 finish first
        tracker.completed(11);
        tracker.completed(13);
        tracker.completed(14);

        // then 10 still blocks
        assertThat(tracker.committable()).hasValue(10);

        // when 10 finishes, 12 blocks
        tracker.completed(10);
        assertThat(tracker.committable()).hasValue(12);

        // when everything finished, the next offset to read is committable
        tracker.completed(12);
        assertThat(tracker.committable()).hasValue(15);
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void skipsGapsInOffsets() {
        // read_committed consumers see gaps where transaction markers are
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(3);
        tracker.started(7);

        tracker.completed(7);
        assertThat(tracker.committable()).hasValue(3);
        tracker.completed(3);
        assertThat(tracker.committable()).hasValue(8);
    }

    @Test
    void offersOnlyOffsetsBeyondTheLastCommit() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(0);
        tracker.completed(0);
        assertThat(tracker.toCommit()).hasValue(1);

        tracker.committed(1);
        assertThat(tracker.toCommit()).isEmpty();

        tracker.started(1);
        assertThat(tracker.toCommit()).isEmpty();
        tracker.completed(1);
        assertThat(tracker.toCommit()).hasValue(2);
    }

    @Test
    void ignoresCompletionsOfOffsetsItDoesNotTrack() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(5);

        assertThat(tracker.completed(4)).isFalse();
        assertThat(tracker.committable()).hasValue(5);
    }

    @Test
    void keepsTheCommitBelowARewoundOffset() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(20);
        tracker.completed(20);

        tracker.started(18); // the consumer was rewound

        assertThat(tracker.committable()).hasValue(18);
        tracker.completed(18);
        assertThat(tracker.committable()).hasValue(21);
    }
}
