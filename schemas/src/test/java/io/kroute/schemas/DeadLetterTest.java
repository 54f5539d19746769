package io.kroute.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void a_dead_letter_of_a_huge_record_stays_small_and_says_what_it_cut() {
        // given: a 10 MB value and a 100,000-character key
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        String key = "k".repeat(100_000);

        // when
        DeadLetter letter = DeadLetter.of(key, huge, "llm-prompts", 3, 77, "router-stream", "r".repeat(50_000), 1);
        byte[] encoded = Codecs.DEAD_LETTER.encode(letter);

        // then: it fits a default topic (1 MiB) with room to spare, and is valid against its schema
        assertThat(encoded.length).isLessThan(100_000);
        DeadLetter read = Codecs.DEAD_LETTER.decode(encoded);
        assertThat(read.originalTruncated()).isTrue();
        assertThat(read.originalSize()).isEqualTo(huge.length);
        assertThat(read.originalSha256()).isEqualTo(DeadLetter.sha256(huge));
        assertThat(read.original()).hasSize(DeadLetter.MAX_ORIGINAL_BYTES);
        assertThat(read.key())
                .hasSizeLessThanOrEqualTo(DeadLetter.MAX_KEY_CHARS)
                .endsWith("[100000 chars]");
        assertThat(read.reason()).hasSizeLessThanOrEqualTo(DeadLetter.MAX_REASON_CHARS);
        assertThat(read.partition()).isEqualTo(3);
        assertThat(read.offset()).isEqualTo(77);
    }

    @Test
    void a_small_record_is_kept_whole() {
        byte[] value = "{\"id\":".getBytes(StandardCharsets.UTF_8);

        DeadLetter letter = Codecs.DEAD_LETTER.decode(
                Codecs.DEAD_LETTER.encode(DeadLetter.of("k", value, "t", 0, 1, "s", "not JSON", 2)));

        assertThat(letter.original()).isEqualTo(value);
        assertThat(letter.originalTruncated()).isFalse();
        assertThat(letter.originalSize()).isEqualTo(value.length);
    }

    @Test
    void a_cut_never_splits_a_character() {
        String emoji = "\uD83D\uDE00".repeat(3_000);

        String cut = DeadLetter.of(emoji, null, "t", 0, 0, "s", "r", 0).key();

        assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf("...") - 1)))
                .isFalse();
    }
}
