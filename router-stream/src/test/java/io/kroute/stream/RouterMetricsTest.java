package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.runtime.Health;
import io.kroute.runtime.OpsEndpoint;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {

    @Test
    void routed_prompts_dead_letters_and_scoring_time_are_counted_and_served_to_prometheus() throws Exception {
        // given
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RoutingPolicy policy = new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", Clock.systemUTC());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                        RouterTopology.build(new StreamsBuilder(), Topics.DEFAULT, policy, new RouterMetrics(registry)),
                        RouterTopology.config(new Properties()));
                OpsEndpoint endpoint = OpsEndpoint.start(
                        "127.0.0.1", 0, registry, () -> Health.builder().build())) {
            TestInputTopic<byte[], byte[]> prompts = driver.createInputTopic(
                    Topics.PROMPTS,
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());

            // when
            for (String text : List.of("hard one", "hard two", "easy")) {
                PromptRequest request =
                        new PromptRequest(text, "t", List.of(ChatMessage.user(text)), null, Map.of(), null, 1);
                prompts.pipeInput(text.getBytes(StandardCharsets.UTF_8), Codecs.PROMPT_REQUEST.encode(request));
            }
            prompts.pipeInput("x".getBytes(StandardCharsets.UTF_8), "nope".getBytes(StandardCharsets.UTF_8));
            prompts.pipeInput("y".getBytes(StandardCharsets.UTF_8), "{\"id\":\"y\"}".getBytes(StandardCharsets.UTF_8));
            String scraped = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();

            // then
            assertThat(registry.get("kroute.router.routed")
                            .tag("tier", "strong")
                            .counter()
                            .count())
                    .isEqualTo(2);
            assertThat(registry.get("kroute.router.routed")
                            .tag("tier", "weak")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("kroute.router.dead_letters")
                            .tag("kind", "not_json")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("kroute.router.dead_letters")
                            .tag("kind", "schema")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("kroute.router.score").timer().count()).isEqualTo(3);
            assertThat(registry.get("kroute.router.threshold")
                            .tag("task", "0_0")
                            .gauge()
                            .value())
                    .isEqualTo(0.5);
            assertThat(scraped)
                    .contains("kroute_router_routed_total{")
                    .contains("router_version=\"test-1\"")
                    .contains("kroute_router_dead_letters_total{kind=\"not_json\"} 1.0")
                    .contains("kroute_router_threshold{task=\"0_0\"} 0.5");
        }
    }
}
