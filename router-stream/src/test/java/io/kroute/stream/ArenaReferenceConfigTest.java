package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.router.multi.TrainedPredictor;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutingDecision;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped many-model reference file starts as written: every model priced and known to the shipped predictor. */
class ArenaReferenceConfigTest {

    @Test
    void the_arena_reference_file_routes_with_the_shipped_predictor() {
        // given
        RouterStreamSettings settings = RouterStreamSettings.load(Path.of("../etc/router-stream-arena.properties"));
        assertThat(settings.manyModels().queues()).hasSize(16);
        // when
        RoutingPolicy policy = settings.manyModelPolicy(TrainedPredictor.load(settings.routerReference()));
        try {
            List<RoutingDecision> decisions = policy.selection()
                    .decide(
                            List.of(request("Write a proof that the square root of 2 is irrational."), request("hi")),
                            Clock.systemUTC());
            // then each decision names one of the configured queues and its model
            for (RoutingDecision d : decisions) {
                assertThat(settings.manyModels().queues()).anySatisfy(q -> {
                    assertThat(q.queue()).isEqualTo(d.queue());
                    assertThat(q.model()).isEqualTo(d.model());
                });
                assertThat(d.score()).isBetween(0.0, 1.0);
            }
            assertThat(policy.selection().strongestQueue()).isEqualTo("gpt-4-1106-preview");
            assertThat(policy.selection().selector().value()).isPositive();
        } finally {
            policy.live().close();
        }
    }

    private static PromptRequest request(String text) {
        return new PromptRequest("r" + text.length(), "t", List.of(ChatMessage.user(text)), 100, Map.of(), null, 1);
    }
}
