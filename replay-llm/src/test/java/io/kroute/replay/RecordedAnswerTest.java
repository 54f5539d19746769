package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordedAnswerTest {

    @Test
    void gradedAnswersAreQualityOneOrZero() {
        assertThat(RecordedAnswer.graded(true, "42").quality()).isEqualTo(1.0);
        assertThat(RecordedAnswer.graded(true, "42").correct()).isTrue();
        assertThat(RecordedAnswer.graded(false, null).quality()).isEqualTo(0.0);
        assertThat(RecordedAnswer.graded(false, null).correct()).isFalse();
    }

    @Test
    void judgeScoresAreTenthsAndOnlyTenOfTenIsCorrect() {
        assertThat(RecordedAnswer.scored(7, "a").quality()).isEqualTo(0.7);
        assertThat(RecordedAnswer.scored(10, "a").correct()).isTrue();
        assertThat(RecordedAnswer.scored(9, "a").correct()).isFalse();
        assertThat(RecordedAnswer.scored(null, "a").quality()).isNull();
        assertThat(RecordedAnswer.scored(null, "a").correct()).isFalse();
        assertThatThrownBy(() -> RecordedAnswer.scored(0, "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordedAnswer(1.5, "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsCharactersAsCodePoints() {
        // one emoji is two UTF-16 chars; the Arena data's answer_chars counts it once
        assertThat(RecordedAnswer.scored(5, "ok \uD83D\uDE00").chars()).isEqualTo(4);
        assertThat(RecordedAnswer.graded(true, null).chars()).isZero();
    }
}
