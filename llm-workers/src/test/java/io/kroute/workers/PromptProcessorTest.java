package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.workers.ScriptedLlmServer.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PromptProcessorTest {

    private static final String MODEL = "gpt-4-1106-preview";
    private static final long NOW = 1_800_000_000_000L;
    private static final String TOPIC = "llm-queue-strong";

    private static final String WEAK_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    private Vertx vertx;
    private ScriptedLlmServer server;
    private ScriptedLlmServer weakServer;
    private ResilientChatClient strongClient;
    private ResilientChatClient weakClient;
    private PromptProcessor processor;
    private PromptProcessor withFallback;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = ScriptedLlmServer.start(vertx);
        weakServer = ScriptedLlmServer.start(vertx);
        strongClient =
                TestClients.retrying(vertx, new OpenAiChatClient(vertx, server.baseUrl(), "k", 5_000, 8), 3, 5, 1_000);
        weakClient =
                TestClients.retrying(vertx, new OpenAiChatClient(vertx, weakServer.baseUrl(), "k", 5_000, 8), 2, 5, 20);
        Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
        PriceTable prices = new PriceTable(WorkerConfig.defaults().prices());
        processor = new PromptProcessor(Tier.STRONG, MODEL, strongClient, prices, clock);
        withFallback = new PromptProcessor(
                vertx,
                Tier.STRONG,
                MODEL,
                strongClient,
                WEAK_MODEL,
                weakClient,
                prices,
                WorkerMetrics.noop(),
                clock,
                1_000_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
    }

    @Test
    void answersARoutedPromptWithAPricedResponse() throws Exception {
        // given
        server.then(Reply.ok(MODEL, "Paris.", 1_000, 500));
        byte[] value = Codecs.ROUTED_PROMPT.encode(routed("req-1", 64));

        // when
        Outcome outcome = await(processor.process(new QueueRecord(TOPIC, 2, 41, "req-1", value)));

        // then
        assertThat(outcome.deadLetter()).isNull();
        LlmResponse response = outcome.response();
        assertThat(response.requestId()).isEqualTo("req-1");
        assertThat(response.tenant()).isEqualTo("acme");
        assertThat(response.tier()).isEqualTo(Tier.STRONG);
        assertThat(response.model()).isEqualTo(MODEL);
        assertThat(response.text()).isEqualTo("Paris.");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.promptTokens()).isEqualTo(1_000);
        assertThat(response.completionTokens()).isEqualTo(500);
        assertThat(response.costUsd()).isCloseTo(0.025, within(1e-12));
        assertThat(response.attempts()).isEqualTo(1);
        assertThat(response.latencyMs()).isGreaterThanOrEqualTo(0);
        assertThat(response.status()).isEqualTo(ResponseStatus.OK);
        assertThat(response.routerVersion()).isEqualTo("random-1");
        assertThat(response.requestCreatedAt()).isEqualTo(NOW - 5_000);
        assertThat(response.completedAt()).isEqualTo(NOW);
        // what went over the wire: the configured model, the conversation, max_tokens
        var sent = server.received().get(0).body();
        assertThat(sent.getString("model")).isEqualTo(MODEL);
        assertThat(sent.getInteger("max_tokens")).isEqualTo(64);
        assertThat(sent.getJsonArray("messages").getJsonObject(0).getString("content"))
                .isEqualTo("What is the capital of France?");
        // and the response passes its own schema
        assertThat(Codecs.LLM_RESPONSE.decode(Codecs.LLM_RESPONSE.encode(response)))
                .isEqualTo(response);
    }

    @Test
    void countsRetriesInTheResponse() throws Exception {
        server.then(Reply.error(500, "server_error", "oops")).then(Reply.ok(MODEL, "ok", 3, 1));

        Outcome outcome = await(processor.process(record("req-2")));

        assertThat(outcome.response().attempts()).isEqualTo(2);
    }

    @Test
    void deadLettersAMalformedRecordWithItsBytes() throws Exception {
        // given
        byte[] garbage = "{\"request\": 42".getBytes(StandardCharsets.UTF_8);

        // when
        Outcome outcome = await(processor.process(new QueueRecord(TOPIC, 0, 7, "k-7", garbage)));

        // then
        assertThat(outcome.response()).isNull();
        assertThat(server.received()).isEmpty();
        DeadLetter deadLetter = outcome.deadLetter();
        assertThat(deadLetter.key()).isEqualTo("k-7");
        assertThat(Base64.getDecoder().decode(deadLetter.originalBase64())).isEqualTo(garbage);
        assertThat(deadLetter.sourceTopic()).isEqualTo(TOPIC);
        assertThat(deadLetter.partition()).isZero();
        assertThat(deadLetter.offset()).isEqualTo(7);
        assertThat(deadLetter.stage()).isEqualTo("llm-workers");
        assertThat(deadLetter.reason()).startsWith("not valid JSON");
        assertThat(deadLetter.failedAt()).isEqualTo(NOW);
    }

    @Test
    void deadLettersARecordThatFailsItsSchema() throws Exception {
        byte[] wrongShape = "{\"request\": {\"id\": \"x\"}}".getBytes(StandardCharsets.UTF_8);

        Outcome outcome = await(processor.process(new QueueRecord(TOPIC, 0, 8, null, wrongShape)));

        assertThat(outcome.deadLetter().reason()).contains("fails schema");
        assertThat(outcome.deadLetter().key()).isNull();
    }

    @Test
    void deadLettersARecordWithoutValueOrWithAnEmptyValue() throws Exception {
        Outcome tombstone = await(processor.process(new QueueRecord(TOPIC, 1, 9, "k-9", null)));
        Outcome empty = await(processor.process(new QueueRecord(TOPIC, 1, 10, "k-10", new byte[0])));

        assertThat(tombstone.deadLetter().originalBase64()).isEmpty();
        assertThat(tombstone.deadLetter().offset()).isEqualTo(9);
        assertThat(empty.deadLetter().key()).isEqualTo("k-10");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void deadLettersAPromptTheProviderRejects() throws Exception {
        server.then(Reply.error(400, "invalid_request_error", "This model's maximum context length is 128000"));

        Outcome outcome = await(withFallback.process(record("req-3")));

        assertThat(outcome.response()).isNull();
        assertThat(weakServer.received())
                .as("a refused prompt is not sent to the fallback")
                .isEmpty();
        DeadLetter deadLetter = outcome.deadLetter();
        assertThat(deadLetter.reason())
                .contains("failed after 1 attempt(s)")
                .contains("HTTP 400")
                .contains("maximum context length");
        assertThat(Codecs.ROUTED_PROMPT
                        .decode(Base64.getDecoder().decode(deadLetter.originalBase64()))
                        .request()
                        .id())
                .isEqualTo("req-3");
    }

    @Test
    void deadLettersWhenRetriesAreExhausted() throws Exception {
        server.otherwise(Reply.error(503, "server_error", "overloaded"));

        Outcome outcome = await(processor.process(record("req-4")));

        assertThat(outcome.deadLetter().reason()).contains("after 3 attempt(s)").contains("HTTP 503");
        assertThat(server.received()).hasSize(3);
    }

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error, This model's maximum context length is 128000 tokens",
        "401, invalid_request_error, Incorrect API key provided",
        "403, permission_error, You are not allowed to use this model",
        "404, invalid_request_error, The model does not exist",
        "422, invalid_request_error, Unprocessable"
    })
    void deadLettersEveryNonRetryableErrorAfterOneAttemptWithoutFallback(int status, String type, String message)
            throws Exception {
        server.otherwise(Reply.error(status, type, message));

        Outcome outcome = await(withFallback.process(record("req-" + status)));

        assertThat(outcome.deadLetter().reason())
                .contains("failed after 1 attempt(s) (not retryable)")
                .contains("HTTP " + status)
                .contains(message);
        assertThat(server.received()).hasSize(1);
        assertThat(weakServer.received()).isEmpty();
    }

    @Test
    void deadLettersAnUnreadableAnswerWithoutRetrying() throws Exception {
        server.otherwise(Reply.raw(200, "{\"choices\": \"none\"}"));

        Outcome outcome = await(withFallback.process(record("req-7")));

        assertThat(outcome.deadLetter().reason()).contains("not retryable").contains("unreadable chat completion");
        assertThat(server.received()).hasSize(1);
        assertThat(weakServer.received()).isEmpty();
    }

    @Test
    void fallsBackToTheWeakModelWhenRetriesAreSpent() throws Exception {
        // given
        server.otherwise(Reply.error(500, "server_error", "down"));
        weakServer.then(Reply.ok(WEAK_MODEL, "from the weak model", 1_000_000, 1_000_000));

        // when
        Outcome outcome = await(withFallback.process(record("req-8")));

        // then
        LlmResponse response = outcome.response();
        assertThat(response.status()).isEqualTo(ResponseStatus.FALLBACK);
        assertThat(response.tier()).isEqualTo(Tier.STRONG);
        assertThat(response.model()).isEqualTo(WEAK_MODEL);
        assertThat(response.text()).isEqualTo("from the weak model");
        assertThat(response.costUsd()).as("the weak model's price").isCloseTo(1.2, within(1e-9));
        assertThat(response.attempts()).isEqualTo(3 + 1);
        assertThat(weakServer.received().get(0).body().getString("model")).isEqualTo(WEAK_MODEL);
    }

    @Test
    void fallsBackAtOnceWhileTheBreakerIsOpen() throws Exception {
        // given
        strongClient.resilience().circuitBreaker().transitionToOpenState();
        weakServer.then(Reply.ok(WEAK_MODEL, "weak", 1, 1));

        // when
        Outcome outcome = await(withFallback.process(record("req-9")));

        // then
        assertThat(server.received()).isEmpty();
        assertThat(outcome.response().status()).isEqualTo(ResponseStatus.FALLBACK);
        assertThat(outcome.response().attempts()).isEqualTo(1);
    }

    @Test
    void waitsForTheFallbackProvidersBreakerInsteadOfDeadLettering() throws Exception {
        // given both breakers open; the weak one lets probe calls through after its 1 s in the open state
        strongClient.resilience().circuitBreaker().transitionToOpenState();
        weakClient.resilience().circuitBreaker().transitionToOpenState();
        weakServer.then(Reply.ok(WEAK_MODEL, "after the wait", 1, 1));

        // when
        long start = System.nanoTime();
        Outcome outcome = await(withFallback.process(record("req-12")));

        // then
        assertThat(outcome.response().text()).isEqualTo("after the wait");
        assertThat(outcome.response().status()).isEqualTo(ResponseStatus.FALLBACK);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1_000);
        assertThat(weakServer.received()).hasSize(1);
    }

    @Test
    void deadLettersWithBothErrorsWhenTheFallbackFailsToo() throws Exception {
        server.otherwise(Reply.error(503, "server_error", "strong down"));
        weakServer.otherwise(Reply.error(500, "server_error", "weak down"));

        Outcome outcome = await(withFallback.process(record("req-10")));

        assertThat(outcome.deadLetter().reason())
                .contains("strong down")
                .contains("fallback: LLM call to " + WEAK_MODEL)
                .contains("weak down");
    }

    @Test
    void opensTheBreakerOnServerErrorsButNotOnRateLimits() throws Exception {
        // given a breaker that opens when half of at least 4 calls fail
        TierConfig tier = WorkerConfig.defaults()
                .strong()
                .withProvider("flaky")
                .withRetries(1, 1, 1)
                .withCircuitBreaker(new CircuitBreakerSettings(50, 4, 4, 60_000));
        ResilientChatClient client =
                TestClients.resilient(vertx, new OpenAiChatClient(vertx, server.baseUrl(), "k", 5_000, 8), tier);
        server.then(Reply.error(429, "requests", "slow down"))
                .then(Reply.error(429, "requests", "slow down"))
                .then(Reply.error(429, "requests", "slow down"))
                .then(Reply.error(429, "requests", "slow down"));

        // when four 429s, then four 500s
        for (int i = 0; i < 4; i++) {
            catchThrowable(() -> await(client.complete(MODEL, List.of(ChatMessage.user("q")), null)));
        }
        var afterRateLimits = client.resilience().circuitBreaker().getState();
        server.otherwise(Reply.error(500, "server_error", "boom"));
        for (int i = 0; i < 4; i++) {
            catchThrowable(() -> await(client.complete(MODEL, List.of(ChatMessage.user("q")), null)));
        }

        // then
        assertThat(afterRateLimits).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(client.resilience().circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        // the 429s counted as calls that reached a live provider: two 500s made half of the last four fail
        assertThat(client.resilience().circuitBreaker().getMetrics().getNumberOfFailedCalls())
                .isEqualTo(2);
        assertThat(server.received())
                .as("the last two calls were refused by the open breaker")
                .hasSize(6);
    }

    @Test
    void honoursRetryAfter() throws Exception {
        server.then(Reply.error(429, "requests", "slow down").withHeader("Retry-After", "0.3"))
                .then(Reply.ok(MODEL, "ok", 1, 1));

        long start = System.nanoTime();
        Outcome outcome = await(processor.process(record("req-11")));

        assertThat(outcome.response().attempts()).isEqualTo(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void probe2AHugePromptRefusedByTheProviderBecomesADeadLetterThatFitsItsTopic() throws Exception {
        // given a 792 KB prompt the provider refuses
        byte[] value = Codecs.ROUTED_PROMPT.encode(routed("req-huge", null, "x".repeat(792 * 1024)));
        server.then(Reply.error(400, "invalid_request_error", "This model's maximum context length is 128000"));

        // when
        Outcome outcome = await(withFallback.process(new QueueRecord(TOPIC, 0, 3, "req-huge", value)));

        // then the dead letter keeps the start of the original, its size and its hash, and stays small
        DeadLetter deadLetter = outcome.deadLetter();
        assertThat(outcome.value().length).isLessThan(100 * 1024);
        assertThat(deadLetter.reason()).contains("HTTP 400");
        assertThat(deadLetter.originalSize()).isEqualTo(value.length);
        assertThat(deadLetter.originalTruncated()).isTrue();
        assertThat(deadLetter.originalSha256())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
        assertThat(deadLetter.original()).isEqualTo(Arrays.copyOf(value, DeadLetter.MAX_ORIGINAL_BYTES));
    }

    @Test
    void probe2ARecordLargerThanTheWorkerCanWriteIsDeadLetteredWithoutACall() throws Exception {
        // given a worker that writes records of at most 100,000 bytes, and a record of about 200 KB
        PromptProcessor small = new PromptProcessor(
                vertx,
                Tier.STRONG,
                MODEL,
                strongClient,
                WEAK_MODEL,
                weakClient,
                new PriceTable(WorkerConfig.defaults().prices()),
                WorkerMetrics.noop(),
                Clock.systemUTC(),
                100_000);
        byte[] value = Codecs.ROUTED_PROMPT.encode(routed("req-big", null, "x".repeat(200_000)));

        // when
        Outcome outcome = await(small.process(new QueueRecord(TOPIC, 1, 5, "req-big", value)));

        // then
        assertThat(server.received()).isEmpty();
        assertThat(weakServer.received()).isEmpty();
        assertThat(outcome.deadLetter().reason()).contains("over the 100000 bytes a worker writes");
        assertThat(outcome.deadLetter().originalSize()).isEqualTo(value.length);
        assertThat(outcome.value().length).isLessThan(100 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1000000", "9999999999", "10000001", "1.5", "\"12\"", "null", "{}"})
    void probe9UsageOutsideZeroToTenMillionTokensIsUnreadableAndNeverBilled(String promptTokens) throws Exception {
        // given
        server.otherwise(Reply.raw(200, completionWithUsage(promptTokens, "5")));
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
        PromptProcessor billing = new PromptProcessor(
                vertx,
                Tier.STRONG,
                MODEL,
                strongClient,
                WEAK_MODEL,
                weakClient,
                new PriceTable(WorkerConfig.defaults().prices()),
                metrics,
                Clock.systemUTC(),
                1_000_000);

        // when
        Outcome outcome = await(billing.process(record("req-usage")));

        // then
        if (promptTokens.equals("null")) {
            // JSON null is a missing count: 0, billed as such
            assertThat(outcome.response().promptTokens()).isZero();
            return;
        }
        assertThat(outcome.response()).isNull();
        assertThat(outcome.deadLetter().reason())
                .contains("(not retryable)")
                .contains("usage.prompt_tokens is")
                .contains("not a whole number from 0 to 10000000");
        assertThat(server.received()).hasSize(1);
        assertThat(weakServer.received()).isEmpty();
        assertThat(metrics.registry().find("kroute.llm.cost.usd").counters()).isEmpty();
        assertThat(metrics.registry().find("kroute.llm.tokens").counters()).isEmpty();
    }

    @Test
    void probe9UsageAtItsBoundsIsBilledWithoutOverflow() throws Exception {
        server.then(Reply.raw(200, completionWithUsage("10000000", "10000000")))
                .then(Reply.raw(200, completionWithUsage("0", "7.0")));

        Outcome most = await(processor.process(record("req-most")));
        Outcome least = await(processor.process(record("req-least")));

        // 10M prompt tokens at 10 USD and 10M completion tokens at 30 USD per million
        assertThat(most.response().costUsd()).isCloseTo(400.0, within(1e-9));
        assertThat(least.response().completionTokens()).isEqualTo(7);
        assertThat(least.response().costUsd()).isCloseTo(7 * 30 / 1e6, within(1e-12));
    }

    private static String completionWithUsage(String promptTokens, String completionTokens) {
        return "{\"model\": \"" + MODEL + "\", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\","
                + " \"content\": \"hi\"}, \"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": "
                + promptTokens + ", \"completion_tokens\": " + completionTokens + "}}";
    }

    private static QueueRecord record(String id) {
        return new QueueRecord(TOPIC, 0, 1, id, Codecs.ROUTED_PROMPT.encode(routed(id, null)));
    }

    private static RoutedPrompt routed(String id, Integer maxTokens) {
        return routed(id, maxTokens, "What is the capital of France?");
    }

    private static RoutedPrompt routed(String id, Integer maxTokens, String prompt) {
        PromptRequest request = new PromptRequest(
                id, "acme", List.of(ChatMessage.user(prompt)), maxTokens, Map.of(), null, NOW - 5_000);
        RoutingDecision decision =
                new RoutingDecision(Tier.STRONG, MODEL, 0.9, "random", "random-1", 0.5, false, NOW - 4_000);
        return new RoutedPrompt(request, decision);
    }
}
