package io.kroute.router.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.encoder.PromptEncoder;
import io.kroute.router.encoder.StaticTokenEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChoiceFeaturesTest {

    /** Unit vectors on a circle: the cosine of two texts is cos(angle difference), easy to check by hand. */
    private static final class AngleEncoder implements PromptEncoder {
        final Map<String, Double> degrees;
        final List<String> seen = new ArrayList<>();

        AngleEncoder(Map<String, Double> degrees) {
            this.degrees = degrees;
        }

        @Override
        public String id() {
            return "angles";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public float[][] encode(List<String> prompts) {
            seen.addAll(prompts);
            float[][] out = new float[prompts.size()][];
            for (int i = 0; i < out.length; i++) {
                double a = Math.toRadians(degrees.get(prompts.get(i)));
                out[i] = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
            }
            return out;
        }
    }

    private static final String MC = "Which is red?\nA. apple\nB. sky\nC. grass\nAnswer:";

    @Test
    void features_are_cosines_of_question_and_options() {
        AngleEncoder encoder = new AngleEncoder(Map.of("Which is red?", 0.0, "apple", 0.0, "sky", 90.0, "grass", 60.0));

        float[] f = new ChoiceFeatures(encoder).of(List.of(MC))[0];

        double[] q = {1, 0, 0.5}; // cos 0, cos 90, cos 60
        double[] pairs = {0, 0.5, Math.cos(Math.toRadians(30))}; // apple-sky, apple-grass, sky-grass
        assertThat(f).hasSize(ChoiceFeatures.COUNT);
        assertThat(f[0]).as("closest option").isCloseTo(1f, within(1e-6f));
        assertThat(f[1]).as("farthest option").isCloseTo(0f, within(1e-6f));
        assertThat(f[2]).as("mean").isCloseTo((float) (1.5 / 3), within(1e-6f));
        assertThat(f[3]).as("deviation").isCloseTo((float) deviation(q), within(1e-6f));
        assertThat(f[4]).as("margin over the runner-up").isCloseTo(0.5f, within(1e-6f));
        assertThat(f[5]).as("mean option-option").isCloseTo((float) ((0 + 0.5 + pairs[2]) / 3), within(1e-6f));
        assertThat(f[6]).as("most similar options").isCloseTo((float) pairs[2], within(1e-6f));
        assertThat(f[7]).as("least similar options").isCloseTo(0f, within(1e-6f));
        assertThat(f[8]).as("option-option deviation").isCloseTo((float) deviation(pairs), within(1e-6f));
        assertThat(encoder.seen)
                .as("the question is encoded without the answer cue, the options without their letters")
                .containsExactly("Which is red?", "apple", "sky", "grass");
    }

    @Test
    void prompts_without_two_to_eight_options_get_zeros_and_are_not_encoded() {
        AngleEncoder encoder = new AngleEncoder(Map.of());

        float[][] f = new ChoiceFeatures(encoder)
                .of(List.of(
                        "Tell me a story.",
                        "Pick one:\nA. only option",
                        "A.B. not an option line",
                        "A long list:\n" + "A. item\n".repeat(10_000)));

        assertThat(f).hasDimensions(4, ChoiceFeatures.COUNT);
        for (float[] row : f) {
            assertThat(row).containsOnly(0f);
        }
        assertThat(encoder.seen).isEmpty();
    }

    @Test
    void a_batch_gives_each_prompt_its_own_features() {
        StaticTokenEncoder encoder = StaticTokenEncoder.shared();
        ChoiceFeatures features = new ChoiceFeatures(encoder);
        List<String> prompts = List.of(
                MC,
                "Plain text, no options.",
                "The capital of France is\nA. Paris\nB. Lyon\nC. Marseille\nD. Nice\nAnswer:");

        float[][] batch = features.of(prompts);

        for (int i = 0; i < prompts.size(); i++) {
            assertThat(batch[i]).containsExactly(features.of(List.of(prompts.get(i)))[0]);
        }
        assertThat(batch[2][0])
                .as("real vectors: options are related to the question")
                .isGreaterThan(0f);
        assertThat(batch[2][5]).as("four city names are close to each other").isGreaterThan(batch[0][5]);
    }

    private static double deviation(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double sum = 0;
        for (double x : v) {
            sum += (x - mean) * (x - mean) / v.length;
        }
        return Math.sqrt(sum);
    }
}
