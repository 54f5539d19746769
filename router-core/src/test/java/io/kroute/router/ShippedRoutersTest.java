package io.kroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.encoder.BundledModel;
import io.kroute.router.encoder.StaticTokenEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShippedRoutersTest {

    @ParameterizedTest
    @CsvSource({
        "default,ridge-knn",
        "mf,mf",
        "classifier,classifier",
        "static-mf,mf",
        "classpath:kroute/routers/static-mf,mf"
    })
    void shipped_routers_load_by_name_score_and_calibrate(String reference, String kind) {
        try (Router router = RouterLoader.load(reference)) {
            TrainedRouter trained = (TrainedRouter) router;
            assertThat(router.info().kind()).isEqualTo(kind);
            assertThat(trained.card().trainingData())
                    .extracting(ModelCard.DataSource::name)
                    .containsExactly("arena", "gsm8k", "mmlu");
            double score =
                    router.score("Natalia sold clips to 48 of her friends in April, and then she sold half as many"
                            + " clips in May. How many clips did Natalia sell altogether in April and May?");
            assertThat(score).isBetween(0.0, 1.0);
            double threshold = router.thresholdForStrongShare(0.5);
            assertThat(trained.strongShareForThreshold(threshold)).isCloseTo(0.5, within(1e-9));
            assertThat(router.thresholdForStrongShare(0.2)).isGreaterThan(threshold);
        }
    }

    @Test
    void the_default_router_reads_the_bge_small_table_at_both_ends_of_a_long_prompt() {
        try (TrainedRouter router = TrainedRouter.loadResource("kroute/routers/default");
                StaticTokenEncoder bge = StaticTokenEncoder.of(BundledModel.BGE_SMALL)) {
            assertThat(router.card().encoder())
                    .isEqualTo(bge.id() + io.kroute.router.encoder.EndsTextEncoder.SUFFIX)
                    .startsWith("bge-small-en-v1.5-q@");
            assertThat(router.card().kind()).isEqualTo("ridge-knn");
            assertThat(router.score("What is 17 times 23?")).isNotEqualTo(router.score("Who wrote Hamlet?"));
            // five shared examples, then the question: the question still decides
            String examples = "Question: which gas do plants take in? Answer: carbon dioxide.\n".repeat(40);
            assertThat(router.score(examples + "Question: what is 17 times 23? Answer:"))
                    .isNotEqualTo(router.score(examples + "Question: who wrote Hamlet? Answer:"));
        }
    }

    @Test
    void a_router_trained_on_minilm_static_scores_with_the_static_encoder() {
        try (TrainedRouter router = TrainedRouter.loadResource("kroute/routers/static-mf");
                StaticTokenEncoder encoder = StaticTokenEncoder.miniLm()) {
            assertThat(router.card().encoder()).isEqualTo(encoder.id());
            // A bag of tokens: the same words in another order score the same (MiniLM would not), other words not.
            double score = router.score("Which number is prime: 21 or 29?");
            assertThat(router.score("29 or 21: which number is prime?")).isEqualTo(score);
            assertThat(router.score("Which number is even: 21 or 28?")).isNotEqualTo(score);
        }
    }
}
