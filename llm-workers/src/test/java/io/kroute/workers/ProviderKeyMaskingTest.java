package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.kroute.runtime.Health;
import io.kroute.runtime.OpsEndpoint;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.workers.ScriptedLlmServer.Reply;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** A provider's words reach logs, metrics and dead letters only with the key masked. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProviderKeyMaskingTest {

    // not shaped like an OpenAI key: only the configured key itself can find it
    private static final String KEY = "tk-live-0123456789abcdefXYZ";
    private static final String OTHER_KEY = "sk-proj-ABCDEFGHIJKLMNOPQRSTUV";

    private Vertx vertx;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        root().detachAppender(logs);
        await(vertx.close());
    }

    @Test
    void probe11AKeyEchoedByTheProviderReachesNoLogNoDeadLetterAndNoMetric() throws Exception {
        // given a provider that echoes the key it was sent (and another one) in its 401
        ScriptedLlmServer server = ScriptedLlmServer.start(vertx)
                .otherwise(Reply.error(
                        401,
                        "invalid_request_error",
                        "Incorrect API key provided: " + KEY + ". You sent Authorization: Bearer " + KEY
                                + " and api_key=" + OTHER_KEY));
        PrometheusMeterRegistry registry = WorkerMetrics.prometheus();
        WorkerMetrics metrics = new WorkerMetrics(registry);
        ProviderResilience.Registries registries = ProviderResilience.Registries.create();
        metrics.bind(registries);
        TierConfig tier = WorkerConfig.defaults()
                .strong()
                .withBaseUrl(server.baseUrl())
                .withApiKey(KEY)
                .withProvider("echoing");
        ResilientChatClient client = new ResilientChatClient(
                vertx, OpenAiChatClient.forTier(vertx, tier), ProviderResilience.of(registries, tier), metrics);
        PromptProcessor processor = new PromptProcessor(
                vertx,
                Tier.STRONG,
                tier.model(),
                client,
                null,
                null,
                new PriceTable(WorkerConfig.defaults().prices()),
                metrics,
                Clock.systemUTC(),
                1_000_000);
        OpsEndpoint endpoint = OpsEndpoint.start(
                "127.0.0.1", 0, registry, () -> Health.builder().build());

        // when
        Outcome outcome = await(processor.process(record()));
        String scraped = await(WebClient.create(vertx)
                        .get(endpoint.port(), "127.0.0.1", "/metrics")
                        .send())
                .bodyAsString();
        endpoint.close();

        // then the key was sent, and comes back nowhere
        assertThat(server.received().get(0).authorization()).isEqualTo("Bearer " + KEY);
        String deadLetter = new String(outcome.value(), StandardCharsets.UTF_8);
        assertThat(outcome.deadLetter().reason()).contains("HTTP 401").contains("Incorrect API key provided: ***");
        assertThat(deadLetter).doesNotContain(KEY).doesNotContain(OTHER_KEY);
        assertThat(logs.list).as("log lines").isNotEmpty().allSatisfy(event -> assertThat(text(event))
                .doesNotContain(KEY)
                .doesNotContain(OTHER_KEY));
        assertThat(scraped)
                .contains("kroute_llm_errors_total{kind=\"client_error\",provider=\"echoing\"}")
                .doesNotContain(KEY)
                .doesNotContain(OTHER_KEY);
    }

    @Test
    void masksKeyShapedTextButLeavesShortKeysAndPlainWordsAlone() {
        SecretMask mask = new SecretMask(KEY);

        assertThat(mask.mask("key " + KEY + " was wrong")).isEqualTo("key *** was wrong");
        assertThat(mask.mask("Authorization: Bearer abc.def")).isEqualTo("Authorization: ***");
        assertThat(mask.mask("{\"api_key\": \"abc123\"}")).isEqualTo("{\"api_key\": \"***\"}");
        assertThat(mask.mask("leaked " + OTHER_KEY)).isEqualTo("leaked ***");
        assertThat(new SecretMask("k").mask("Incorrect API key provided")).isEqualTo("Incorrect API key provided");
    }

    private static String text(ILoggingEvent event) {
        return event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static QueueRecord record() {
        PromptRequest request = new PromptRequest(
                "req-key", "acme", List.of(ChatMessage.user("hello")), null, Map.of(), null, 1_800_000_000_000L);
        RoutingDecision decision =
                new RoutingDecision(Tier.STRONG, "m", 0.9, "random", "random-1", 0.5, false, 1_800_000_000_000L);
        return new QueueRecord(
                "llm-queue-strong", 0, 1, "req-key", Codecs.ROUTED_PROMPT.encode(new RoutedPrompt(request, decision)));
    }
}
