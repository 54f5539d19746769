package io.kroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kroute.router.encoder.StaticTokenEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShippedRoutersTest {

    @ParameterizedTest
    @CsvSource({"default,mf", "mf,mf", "classifier,classifier", "classpath:kroute/routers/static-mf,mf"})
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
    void a_router_trained_on_minilm_static_scores_with_the_static_encoder() {
        try (TrainedRouter router = TrainedRouter.loadResource("kroute/routers/static-mf");
                StaticTokenEncoder encoder = StaticTokenEncoder.miniLm()) {
            assertThat(router.card().encoder()).isEqualTo(encoder.id());
            String prompt = "Which of these is a prime number? A) 21 B) 27 C) 29 D) 33";
            assertThat(router.score(prompt)).isEqualTo(router.scoreVectors(new float[][] {encoder.encode(prompt)})[0]);
        }
    }
}
