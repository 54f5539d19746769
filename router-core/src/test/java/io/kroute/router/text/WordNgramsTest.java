package io.kroute.router.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WordNgramsTest {

    private final WordNgrams ngrams = new WordNgrams(1 << 18);

    @Test
    void counts_unigrams_and_bigrams_with_sublinear_frequency() {
        WordNgrams.Counts c = ngrams.count("the cat saw the cat");
        // unigrams the, cat, saw; bigrams the-cat (twice), cat-saw, saw-the
        assertThat(c.size()).isEqualTo(6);
        int theCat = ngrams.bucket("the\u0001cat");
        int index = java.util.Arrays.binarySearch(c.buckets(), theCat);
        assertThat(index).isGreaterThanOrEqualTo(0);
        assertThat(c.tf()[index]).isCloseTo((float) (1 + Math.log(2)), within(1e-6f));
        int saw = java.util.Arrays.binarySearch(c.buckets(), ngrams.bucket("saw"));
        assertThat(c.tf()[saw]).isEqualTo(1f);
    }

    @Test
    void tokenises_case_digits_and_punctuation_like_the_training_code() {
        assertThat(ngrams.count("Price: $12.50?").buckets())
                .containsExactly(ngrams.count("price : $ 12 . 50 ?").buckets());
        assertThat(ngrams.count("").size()).isZero();
    }

    @Test
    void buckets_are_stable_sorted_and_in_range() {
        WordNgrams.Counts a = ngrams.count("Natalia sold clips to 48 of her friends in April.");
        WordNgrams.Counts b = new WordNgrams(1 << 18).count("Natalia sold clips to 48 of her friends in April.");
        assertThat(a.buckets()).containsExactly(b.buckets());
        assertThat(a.buckets()).isSorted();
        for (int bucket : a.buckets()) {
            assertThat(bucket).isBetween(0, (1 << 18) - 1);
        }
    }

    @Test
    void refuses_a_bucket_count_that_is_not_a_power_of_two() {
        assertThatThrownBy(() -> new WordNgrams(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }
}
