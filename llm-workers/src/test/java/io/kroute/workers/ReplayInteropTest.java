package io.kroute.workers;

import static io.kroute.workers.ScriptedLlmServer.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kroute.replay.FaultOptions;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.schemas.ChatMessage;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The workers' HTTP client against replay-llm: the two speak the same protocol, key and usage included. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayInteropTest {

    private static Vertx vertx;
    private static ReplayServer replay;
    private static ReplayDataset dataset;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        dataset = ReplayDataset.loadBundled();
        replay = await(ReplayServer.deploy(
                vertx, dataset, ReplayServerOptions.defaults().withApiKey("sk-replay")));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void getsTheRecordedAnswerWithUsageThatPricesTheCall() throws Exception {
        // given
        ReplayItem item = dataset.items("gsm8k").get(10);
        TierConfig tier =
                WorkerConfig.defaults().strong().withBaseUrl(replay.baseUrl()).withApiKey("sk-replay");
        ChatClient client = TestClients.resilient(vertx, OpenAiChatClient.forTier(vertx, tier), tier);

        // when
        ChatResult result = await(client.complete(tier.model(), List.of(ChatMessage.user(item.prompt())), null));

        // then
        assertThat(result.text())
                .isEqualTo(item.answers().get(ReplayDataset.STRONG_MODEL).text());
        assertThat(result.model()).isEqualTo(ReplayDataset.STRONG_MODEL);
        assertThat(result.finishReason()).isEqualTo("stop");
        assertThat(result.promptTokens()).isPositive();
        assertThat(result.completionTokens()).isPositive();
        assertThat(new PriceTable(WorkerConfig.defaults().prices())
                        .costUsd(tier.model(), result.promptTokens(), result.completionTokens()))
                .isPositive();
    }

    @Test
    void passesMaxTokensThrough() throws Exception {
        ReplayItem item = dataset.items("gsm8k").get(11);
        ChatClient client = new OpenAiChatClient(vertx, replay.baseUrl(), "sk-replay", 5_000, 2);

        ChatResult result =
                await(client.complete(ReplayDataset.WEAK_MODEL, List.of(ChatMessage.user(item.prompt())), 3));

        assertThat(result.finishReason()).isEqualTo("length");
        assertThat(result.completionTokens()).isEqualTo(3);
    }

    @Test
    void retriesThroughInjectedFaults() throws Exception {
        // given a provider that fails 60% of calls with 429, 500 or 503
        ReplayServer flaky = await(ReplayServer.deploy(
                vertx,
                dataset,
                ReplayServerOptions.defaults()
                        .withFaults(FaultOptions.none()
                                .withRateLimited(0.2, 0)
                                .withServerError(0.2)
                                .withUnavailable(0.2)
                                .withSeed(7))));
        ChatClient client =
                TestClients.retrying(vertx, new OpenAiChatClient(vertx, flaky.baseUrl(), null, 5_000, 4), 20, 1, 5);

        // when
        int attempts = 0;
        for (int i = 0; i < 20; i++) {
            ChatResult result = await(client.complete(
                    ReplayDataset.WEAK_MODEL,
                    List.of(ChatMessage.user(dataset.items("gsm8k").get(i).prompt())),
                    null));
            attempts += result.attempts();
        }

        // then every call got through, and the attempts match what the server injected
        long injected = flaky.faults().injected().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(attempts).isEqualTo(20 + injected);
        assertThat(injected).isPositive();
    }

    @Test
    void reportsAWrongKeyAsANonRetryable401() {
        ChatClient client = new OpenAiChatClient(vertx, replay.baseUrl(), "sk-wrong", 5_000, 2);

        Throwable thrown = catchThrowable(() -> await(client.complete("m", List.of(ChatMessage.user("hi")), null)));

        assertThat(thrown.getCause()).isInstanceOfSatisfying(LlmCallException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.retryable()).isFalse();
            assertThat(e.providerMessage()).contains("Incorrect API key");
        });
    }
}
