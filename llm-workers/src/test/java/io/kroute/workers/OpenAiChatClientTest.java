package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kroute.schemas.ChatMessage;
import io.kroute.workers.ScriptedLlmServer.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiChatClientTest {

    private static final List<ChatMessage> MESSAGES =
            List.of(new ChatMessage("system", "Be brief."), ChatMessage.user("What is 2 + 2?"));

    private Vertx vertx;
    private ScriptedLlmServer server;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = ScriptedLlmServer.start(vertx);
    }

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
    }

    @Test
    void parsesAChatCompletionAndSendsTheKeyAndTheRequest() throws Exception {
        // given
        server.then(Reply.ok("gpt-4-1106-preview", "4", 21, 1));
        OpenAiChatClient client = new OpenAiChatClient(vertx, server.baseUrl() + "/v1/", "sk-test", 5_000, 4);

        // when
        ChatResult result = await(client.complete("gpt-4-1106-preview", MESSAGES, 16));

        // then
        assertThat(result).isEqualTo(new ChatResult("gpt-4-1106-preview", "4", "stop", 21, 1, 1));
        ScriptedLlmServer.Received request = server.received().get(0);
        assertThat(request.authorization()).isEqualTo("Bearer sk-test");
        assertThat(request.body().getString("model")).isEqualTo("gpt-4-1106-preview");
        assertThat(request.body().getInteger("max_tokens")).isEqualTo(16);
        assertThat(request.body().getJsonArray("messages").getJsonObject(1).getString("content"))
                .isEqualTo("What is 2 + 2?");
    }

    @Test
    void sendsNoAuthorizationOrMaxTokensWhenNoneAreGiven() throws Exception {
        server.then(Reply.ok("m", "hi", 1, 1));
        OpenAiChatClient client = new OpenAiChatClient(vertx, server.baseUrl(), null, 5_000, 4);

        await(client.complete("m", MESSAGES, null));

        assertThat(server.received().get(0).authorization()).isNull();
        assertThat(server.received().get(0).body().containsKey("max_tokens")).isFalse();
    }

    @Test
    void retriesA429AndCountsTheAttempts() throws Exception {
        // given
        server.then(Reply.error(429, "rate_limit_error", "Rate limit reached").withHeader("Retry-After", "0.05"))
                .then(Reply.ok("m", "after retry", 5, 2));
        ChatClient client = retrying(3);

        // when
        ChatResult result = await(client.complete("m", MESSAGES, null));

        // then
        assertThat(result.text()).isEqualTo("after retry");
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void doesNotRetryA400AndReportsTheProvidersMessage() throws Exception {
        server.then(Reply.error(400, "invalid_request_error", "max_tokens is too large"));
        ChatClient client = retrying(3);

        LlmCallException error = failure(client.complete("m", MESSAGES, 1_000_000));

        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.retryable()).isFalse();
        assertThat(error.attempts()).isEqualTo(1);
        assertThat(error.providerMessage()).contains("max_tokens is too large");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void givesUpAfterMaxAttemptsOfServerErrors() throws Exception {
        server.otherwise(Reply.error(503, "server_error", "overloaded"));
        ChatClient client = retrying(3);

        LlmCallException error = failure(client.complete("m", MESSAGES, null));

        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(error.retryable()).isTrue();
        assertThat(error.attempts()).isEqualTo(3);
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void timesOutASilentProviderAsRetryable() throws Exception {
        server.otherwise(Reply.never());
        ChatClient client =
                TestClients.retrying(vertx, new OpenAiChatClient(vertx, server.baseUrl(), null, 200, 4), 2, 10, 20);

        long start = System.nanoTime();
        LlmCallException error = failure(client.complete("m", MESSAGES, null));

        assertThat(error.statusCode()).isZero();
        assertThat(error.retryable()).isTrue();
        assertThat(error.attempts()).isEqualTo(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void reportsAnUnreachableProviderAsRetryable() throws Exception {
        server.close();
        OpenAiChatClient client = new OpenAiChatClient(vertx, server.baseUrl(), null, 2_000, 4);

        LlmCallException error = failure(client.complete("m", MESSAGES, null));

        assertThat(error.statusCode()).isZero();
        assertThat(error.retryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void probe3RedirectsAreNeverFollowedNorRetried(int status) throws Exception {
        // given a provider that points elsewhere, with a secret in the query of where it points
        ScriptedLlmServer elsewhere = ScriptedLlmServer.start(vertx);
        String target = elsewhere.baseUrl() + "/v1/chat/completions";
        server.otherwise(Reply.raw(status, "").withHeader("Location", target + "?token=s3cr3t"));
        String key = "sk-probe3-0123456789abcdef";
        ChatClient client =
                TestClients.retrying(vertx, new OpenAiChatClient(vertx, server.baseUrl(), key, 5_000, 4), 3, 10, 100);

        // when
        LlmCallException error = failure(client.complete("m", MESSAGES, null));

        // then the key went nowhere else, and the redirect is a refusal, not a reason to try again
        assertThat(elsewhere.received()).isEmpty();
        assertThat(server.received()).hasSize(1);
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.kind()).isEqualTo(LlmCallException.Kind.REDIRECT);
        assertThat(error.retryable()).isFalse();
        assertThat(error.getMessage())
                .contains("redirect to " + target + " not followed")
                .doesNotContain("s3cr3t")
                .doesNotContain(key);
    }

    @Test
    void probe5AnAnswerTrickledAfterItsHeadersIsCutOffAtTheDeadline() throws Exception {
        // given a provider that sends its headers, then one byte every 100 ms (about 20 s for the whole answer)
        server.otherwise(Reply.ok("m", "a slow answer", 1, 1).inChunks(1, 100));
        OpenAiChatClient client = new OpenAiChatClient(vertx, server.baseUrl(), null, 500, 4);

        // when
        long start = System.nanoTime();
        LlmCallException error = failure(client.complete("m", MESSAGES, null));

        // then the 500 ms cover the body too
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 3_000L);
        assertThat(server.chunkedBytesSent())
                .as("the headers and some of the body came")
                .isPositive();
        assertThat(error.kind()).isEqualTo(LlmCallException.Kind.TIMEOUT);
        assertThat(error.retryable()).isTrue();
    }

    @Test
    void probe5AnAnswerOverMaxResponseBytesIsRefusedWithoutReadingTheRest() throws Exception {
        // given an 8 MiB answer, sent in 16 KiB chunks, to a client that reads at most 64 KiB
        server.otherwise(Reply.ok("m", "x".repeat(8 * 1024 * 1024), 1, 1).inChunks(16 * 1024, 1));
        ChatClient client = TestClients.retrying(
                vertx, new OpenAiChatClient(vertx, server.baseUrl(), null, 30_000, 64 * 1024, 4), 3, 10, 100);

        // when
        LlmCallException error = failure(client.complete("m", MESSAGES, null));

        // then unreadable, not retried, and the connection dropped: the provider could not send much more
        assertThat(error.kind()).isEqualTo(LlmCallException.Kind.UNREADABLE);
        assertThat(error.retryable()).isFalse();
        assertThat(error.getMessage()).contains("larger than 65536 bytes");
        assertThat(server.received()).hasSize(1);
        Thread.sleep(500);
        assertThat(server.chunkedBytesSent()).isLessThan(1024 * 1024);
    }

    @Test
    void readsRetryAfterInSeconds() {
        assertThat(OpenAiChatClient.retryAfterMs("2")).isEqualTo(2_000);
        assertThat(OpenAiChatClient.retryAfterMs("0.5")).isEqualTo(500);
        assertThat(OpenAiChatClient.retryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isEqualTo(-1);
        assertThat(OpenAiChatClient.retryAfterMs(null)).isEqualTo(-1);
        assertThat(OpenAiChatClient.retryAfterMs("-1")).isEqualTo(-1);
    }

    @Test
    void buildsTheChatUrlFromAnyCommonBaseUrlForm() {
        assertThat(OpenAiChatClient.chatUrl("https://api.openai.com"))
                .isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(OpenAiChatClient.chatUrl("https://api.openai.com/"))
                .isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(OpenAiChatClient.chatUrl("https://api.openai.com/v1"))
                .isEqualTo("https://api.openai.com/v1/chat/completions");
    }

    private ChatClient retrying(int maxAttempts) {
        return TestClients.retrying(
                vertx, new OpenAiChatClient(vertx, server.baseUrl(), null, 5_000, 4), maxAttempts, 10, 100);
    }

    private static LlmCallException failure(Future<?> future) {
        Throwable thrown = catchThrowable(() -> await(future));
        assertThat(thrown).isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(LlmCallException.class);
        return (LlmCallException) thrown.getCause();
    }
}
