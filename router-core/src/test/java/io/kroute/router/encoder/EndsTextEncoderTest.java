package io.kroute.router.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two ends of a long prompt, and the spec that names them. */
class EndsTextEncoderTest {

    /** Records what it was asked to encode. */
    private static final class Recording implements PromptEncoder {
        final List<String> seen = new ArrayList<>();

        @Override
        public String id() {
            return "rec@1/max8";
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public float[][] encode(List<String> prompts) {
            seen.addAll(prompts);
            return new float[prompts.size()][1];
        }
    }

    @Test
    void a_short_prompt_is_encoded_whole() {
        String text = "x".repeat(EndsTextEncoder.HEAD + EndsTextEncoder.TAIL);

        assertThat(EndsTextEncoder.ends(text)).isEqualTo(text);
    }

    @Test
    void a_long_prompt_is_encoded_as_its_start_and_its_question() {
        String examples = "Q: an example question? A: its answer.\n".repeat(100);
        String question = "Q: which of these is the question that matters? A:";
        Recording inner = new Recording();

        new EndsTextEncoder(inner).encode(List.of(examples + question));

        String seen = inner.seen.get(0);
        assertThat(seen).hasSize(EndsTextEncoder.HEAD + EndsTextEncoder.TAIL + "\n...\n".length());
        assertThat(seen).startsWith(examples.substring(0, EndsTextEncoder.HEAD)).endsWith(question);
    }

    @Test
    void a_cut_never_splits_a_character_outside_the_basic_plane() {
        String emoji = "\uD83D\uDE00"; // one character, two chars
        String text = "a".repeat(EndsTextEncoder.HEAD - 1) + emoji.repeat(1000);

        String ends = EndsTextEncoder.ends(text);

        for (int i = 0; i < ends.length(); i++) {
            char c = ends.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(Character.isLowSurrogate(ends.charAt(i + 1))).isTrue();
            } else if (Character.isLowSurrogate(c)) {
                assertThat(Character.isHighSurrogate(ends.charAt(i - 1))).isTrue();
            }
        }
    }

    @Test
    void the_spec_and_the_id_name_it_so_a_model_card_opens_the_same_encoder() {
        try (PromptEncoder encoder = Encoders.fromSpec("bge-small-static+ends-v1", 1, 1);
                PromptEncoder again = Encoders.fromSpec(encoder.id(), 1, 1);
                PromptEncoder withFeatures = Encoders.fromSpec("bge-small-static+ends-v1+textfeatures-v1", 1, 1)) {
            assertThat(encoder.id()).endsWith("/max512" + EndsTextEncoder.SUFFIX);
            assertThat(again.id()).isEqualTo(encoder.id());
            assertThat(withFeatures.id()).isEqualTo(encoder.id() + TextFeatureEncoder.SUFFIX);
            String long1 = "shared examples ".repeat(200) + "first question";
            String long2 = "shared examples ".repeat(200) + "a second, different question about physics";
            float[][] v = encoder.encode(List.of(long1, long2));
            assertThat(v[0]).isNotEqualTo(v[1]);
        }
    }
}
