package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.router.data.ScoredAnswer;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.FeedbackSource;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.Tier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelBookTest {

    private static LabeledPrompt labeled(String id, Feedback label) {
        return new LabeledPrompt(id, "prompt " + id, Tier.WEAK, "weak-m", "v1", 0.2, label, 1);
    }

    private static String idHeldOut(LabelBook book, boolean heldOut) {
        for (int i = 0; ; i++) {
            if (book.isHeldOut("r" + i) == heldOut) {
                return "r" + i;
            }
        }
    }

    @Test
    void golden_labels_of_both_models_make_one_example() {
        LabelBook book = new LabelBook("strong-m", "weak-m", 20);
        String id = idHeldOut(book, false);

        book.add(labeled(id, new Feedback(id, FeedbackSource.GOLDEN, "strong-m", null, null, true, 1)));
        assertThat(book.training()).as("one model scored only").isEmpty();
        book.add(labeled(id, new Feedback(id, FeedbackSource.GOLDEN, null, null, null, false, 1)));

        List<ScoredAnswer> training = book.training();
        assertThat(training).hasSize(1);
        assertThat(training.get(0).prompt()).isEqualTo("prompt " + id);
        assertThat(training.get(0).scores()).containsEntry("strong-m", 1.0).containsEntry("weak-m", 0.0);
        assertThat(book.heldOut()).isEmpty();
        assertThat(book.labels()).isEqualTo(2);
    }

    @Test
    void a_preference_scores_both_models_at_once() {
        LabelBook book = new LabelBook("strong-m", "weak-m", 20);
        String id = idHeldOut(book, true);

        book.add(labeled(id, new Feedback(id, FeedbackSource.JUDGE, null, "tie", null, null, 1)));

        assertThat(book.heldOut()).singleElement().satisfies(example -> assertThat(example.scores())
                .containsEntry("strong-m", 0.5)
                .containsEntry("weak-m", 0.5));
    }

    @Test
    void the_held_out_split_is_fixed_by_request_id_and_near_the_asked_share() {
        LabelBook book = new LabelBook("s", "w", 20);
        List<String> heldOut = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            if (book.isHeldOut("req-" + i)) {
                heldOut.add("req-" + i);
            }
        }
        assertThat(heldOut.size()).isBetween(850, 1150);
        assertThat(heldOut).allMatch(book::isHeldOut);
        assertThatThrownBy(() -> new LabelBook("s", "w", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labels_since_the_last_training_are_counted() {
        LabelBook book = new LabelBook("s", "w", 20);
        book.add(labeled("a", new Feedback("a", FeedbackSource.HUMAN, "s", null, 0.7, null, 1)));
        book.mark();
        book.add(labeled("b", new Feedback("b", FeedbackSource.HUMAN, "s", null, 0.7, null, 1)));
        assertThat(book.labelsSinceMark()).isEqualTo(1);
    }

    @Test
    void thousands_of_labels_for_one_request_count_once_per_source_and_model() {
        // given: a labeller sends 2,500 golden labels for one request, all saying the weak answer was right
        LabelBook book = new LabelBook("strong-m", "weak-m", 20);
        String id = idHeldOut(book, false);
        book.add(labeled(id, new Feedback(id, FeedbackSource.GOLDEN, "strong-m", null, null, true, 1)));

        // when
        for (int i = 0; i < 2_500; i++) {
            book.add(labeled(id, new Feedback(id, FeedbackSource.GOLDEN, "weak-m", null, null, i % 2 == 0, 1)));
        }

        // then: the first one counts, the rest are refused and do not start a round
        assertThat(book.labels()).isEqualTo(2);
        assertThat(book.refused()).isEqualTo(2_499);
        assertThat(book.labelsSinceMark()).isEqualTo(2);
        assertThat(book.training()).singleElement().satisfies(e -> assertThat(e.scores())
                .containsEntry("weak-m", 1.0));
    }

    @Test
    void only_the_configured_sources_count() {
        LabelBook book = new LabelBook("s", "w", 20, "", java.util.Set.of("golden"));

        boolean judged = book.add(labeled("a", new Feedback("a", FeedbackSource.JUDGE, null, "strong", null, null, 1)));
        boolean golden = book.add(labeled("a", new Feedback("a", FeedbackSource.GOLDEN, "s", null, null, true, 1)));

        assertThat(judged).isFalse();
        assertThat(golden).isTrue();
        assertThat(book.refused()).isEqualTo(1);
    }

    @Test
    void with_a_secret_salt_the_held_out_split_cannot_be_computed_from_the_public_hash() {
        LabelBook publicSplit = new LabelBook("s", "w", 20);
        LabelBook salted = new LabelBook("s", "w", 20, "a secret only the retrainer knows", java.util.Set.of());
        LabelBook sameSalt = new LabelBook("s", "w", 20, "a secret only the retrainer knows", java.util.Set.of());

        int agree = 0;
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            String id = "req-" + i;
            agree += publicSplit.isHeldOut(id) == salted.isHeldOut(id) ? 1 : 0;
            held += salted.isHeldOut(id) ? 1 : 0;
            assertThat(sameSalt.isHeldOut(id)).isEqualTo(salted.isHeldOut(id));
        }
        // independent splits of 20% agree on about 0.8^2 + 0.2^2 = 68% of ids; the same split would agree on all
        assertThat(agree).isBetween(6_400, 7_200);
        assertThat(held).isBetween(1_800, 2_200);
    }
}
