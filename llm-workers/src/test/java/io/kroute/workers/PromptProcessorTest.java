package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PromptProcessorTest {

    private static final String MODEL = "gpt-4-1106-preview";
    private static final long NOW = 1_800_000_000_000L;
    private static final String TOPIC = "llm-queue-strong";

    private Vertx vertx;
    private ScriptedLlmServer server;
    private RecordingPublisher publisher;
    private PromptProcessor processor;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = ScriptedLlmServer.start(vertx);
        publisher = new RecordingPublisher();
        ChatClient client =
                new RetryingChatClient(vertx, new OpenAiChatClient(vertx, server.baseUrl(), "k", 5_000, 8), 3, 5, 20);
        processor = new PromptProcessor(
                vertx,
                Tier.STRONG,
                MODEL,
                client,
                new PriceTable(WorkerConfig.defaults().prices()),
                publisher,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
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
        await(processor.process(new QueueRecord(TOPIC, 2, 41, "req-1", value)));

        // then
        assertThat(publisher.deadLetters).isEmpty();
        assertThat(publisher.responses).hasSize(1);
        LlmResponse response = publisher.responses.get(0);
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

        await(processor.process(record("req-2")));

        assertThat(publisher.responses.get(0).attempts()).isEqualTo(2);
    }

    @Test
    void deadLettersAMalformedRecordWithItsBytes() throws Exception {
        // given
        byte[] garbage = "{\"request\": 42".getBytes(StandardCharsets.UTF_8);

        // when
        await(processor.process(new QueueRecord(TOPIC, 0, 7, "k-7", garbage)));

        // then
        assertThat(publisher.responses).isEmpty();
        assertThat(server.received()).isEmpty();
        DeadLetter deadLetter = publisher.deadLetters.get(0);
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

        await(processor.process(new QueueRecord(TOPIC, 0, 8, null, wrongShape)));

        assertThat(publisher.deadLetters.get(0).reason()).contains("fails schema");
        assertThat(publisher.deadLetters.get(0).key()).isNull();
    }

    @Test
    void deadLettersAPromptTheProviderRejects() throws Exception {
        server.then(Reply.error(400, "invalid_request_error", "This model's maximum context length is 128000"));

        await(processor.process(record("req-3")));

        assertThat(publisher.responses).isEmpty();
        DeadLetter deadLetter = publisher.deadLetters.get(0);
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

        await(processor.process(record("req-4")));

        assertThat(publisher.deadLetters.get(0).reason())
                .contains("after 3 attempt(s)")
                .contains("HTTP 503");
    }

    @Test
    void retriesAFailedPublishWithoutCallingTheLlmAgain() throws Exception {
        server.then(Reply.ok(MODEL, "kept", 1, 1));
        publisher.failuresLeft.set(2);

        await(processor.process(record("req-5")));

        assertThat(publisher.responses).extracting(LlmResponse::text).containsExactly("kept");
        assertThat(publisher.calls.get()).isEqualTo(3);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void failsAnAbandonedPublishSoTheRecordIsNotCommitted() {
        server.then(Reply.ok(MODEL, "lost", 1, 1));
        publisher.failuresLeft.set(Integer.MAX_VALUE);

        Future<Void> result = processor.process(record("req-6"));
        vertx.setTimer(100, id -> processor.abandon());

        assertThat(catchThrowable(() -> await(result))).hasRootCauseMessage("broker unavailable");
    }

    private static QueueRecord record(String id) {
        return new QueueRecord(TOPIC, 0, 1, id, Codecs.ROUTED_PROMPT.encode(routed(id, null)));
    }

    private static RoutedPrompt routed(String id, Integer maxTokens) {
        PromptRequest request = new PromptRequest(
                id,
                "acme",
                List.of(ChatMessage.user("What is the capital of France?")),
                maxTokens,
                Map.of(),
                null,
                NOW - 5_000);
        RoutingDecision decision =
                new RoutingDecision(Tier.STRONG, MODEL, 0.9, "random", "random-1", 0.5, false, NOW - 4_000);
        return new RoutedPrompt(request, decision);
    }
}
