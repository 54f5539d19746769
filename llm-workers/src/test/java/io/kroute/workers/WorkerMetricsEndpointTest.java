package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.runtime.Health;
import io.kroute.runtime.OpsEndpoint;
import io.kroute.schemas.Tier;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerMetricsEndpointTest {

    @Test
    void servesTheWorkersAndTheBreakersMetricsInPrometheusFormat() throws Exception {
        // given
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = WorkerMetrics.prometheus();
        WorkerMetrics metrics = new WorkerMetrics(registry);
        ProviderResilience.Registries registries = ProviderResilience.Registries.create();
        ProviderResilience.of(registries, WorkerConfig.defaults().strong());
        metrics.bind(registries);
        metrics.retried("openai");
        metrics.callFailed("openai", LlmCallException.Kind.RATE_LIMITED);
        metrics.answered(Tier.STRONG, "gpt-4-1106-preview", true, 100, 20, 0.0016);
        OpsEndpoint server = OpsEndpoint.start(
                "127.0.0.1", 0, registry, () -> Health.builder().build());

        // when
        HttpResponse<Buffer> response = await(WebClient.create(vertx)
                .get(server.port(), "127.0.0.1", "/metrics")
                .send());

        // then
        String text = response.bodyAsString();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text)
                .contains("kroute_llm_retries_total{provider=\"openai\"} 1.0")
                .contains("kroute_llm_errors_total{kind=\"rate_limited\",provider=\"openai\"} 1.0")
                .contains("kroute_worker_outcomes_total{outcome=\"fallback\",queue=\"strong\"} 1.0")
                .contains("kroute_llm_tokens_total{direction=\"prompt\",model=\"gpt-4-1106-preview\",queue=\"strong\"}")
                .contains("resilience4j_circuitbreaker_state{name=\"openai\",state=\"closed\"} 1.0");
        assertThat(await(WebClient.create(vertx)
                                .get(server.port(), "127.0.0.1", "/nope")
                                .send())
                        .statusCode())
                .isEqualTo(404);
        server.close();
        await(vertx.close());
    }
}
