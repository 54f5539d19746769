package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayServerTest {

    private static final String API_KEY = "sk-replay-test";

    private static Vertx vertx;
    private static WebClient client;
    private static ReplayDataset dataset;
    private static ReplayServer open;
    private static ReplayServer secured;

    @BeforeAll
    static void startServers() throws Exception {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        dataset = ReplayDataset.loadBundled();
        open = await(ReplayServer.deploy(vertx, dataset, ReplayServerOptions.defaults()));
        secured = await(ReplayServer.deploy(
                vertx, dataset, ReplayServerOptions.defaults().withApiKey(API_KEY)));
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void answersAKnownGsm8kPromptWithTheRecordedGpt4TextAndRealUsage() throws Exception {
        // given
        ReplayItem item = dataset.items("gsm8k").get(0);
        String recorded = item.answers().get(ReplayDataset.STRONG_MODEL).text();

        // when
        HttpResponse<Buffer> response = post(open, chat(ReplayDataset.STRONG_MODEL, item.prompt()), null);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("object")).isEqualTo("chat.completion");
        assertThat(body.getString("model")).isEqualTo(ReplayDataset.STRONG_MODEL);
        assertThat(body.getString("id")).startsWith("chatcmpl-");
        assertThat(body.getLong("created")).isPositive();
        JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
        assertThat(choice.getJsonObject("message").getString("content")).isEqualTo(recorded);
        assertThat(choice.getString("finish_reason")).isEqualTo("stop");
        JsonObject usage = body.getJsonObject("usage");
        assertThat(usage.getInteger("prompt_tokens")).isGreaterThan(7);
        assertThat(usage.getInteger("completion_tokens")).isGreaterThan(0);
        assertThat(usage.getInteger("total_tokens"))
                .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
    }

    @Test
    void answersTheWeakModelWithItsOwnRecordedText() throws Exception {
        ReplayItem item = dataset.items("gsm8k").get(1);

        HttpResponse<Buffer> response = post(open, chat(ReplayDataset.WEAK_MODEL, item.prompt()), null);

        assertThat(content(response))
                .isEqualTo(item.answers().get(ReplayDataset.WEAK_MODEL).text());
    }

    @Test
    void answersMmluWithTheRecordedCorrectnessOnly() throws Exception {
        ReplayItem item = dataset.items("mmlu").get(0);
        boolean correct = item.answers().get(ReplayDataset.STRONG_MODEL).correct();

        String text = content(post(open, chat(ReplayDataset.STRONG_MODEL, item.prompt()), null));

        assertThat(text).startsWith("[replay]").contains(item.id()).contains(correct ? "correct" : "incorrect");
    }

    @Test
    void answersAnUnknownPromptDeterministically() throws Exception {
        JsonObject request = chat(ReplayDataset.STRONG_MODEL, "What is the airspeed of an unladen swallow?");

        String first = content(post(open, request, null));
        String second = content(post(open, request, null));
        String otherModel = content(
                post(open, chat(ReplayDataset.WEAK_MODEL, "What is the airspeed of an unladen swallow?"), null));

        assertThat(first).startsWith("[replay] No recorded answer").isEqualTo(second);
        assertThat(otherModel).isNotEqualTo(first);
    }

    @Test
    void answersAnyArenaModelWithItsRecordedTextAndRealUsage() throws Exception {
        // given
        ReplayItem item = dataset.items(ReplayDataset.ARENA).stream()
                .filter(i -> i.answer("claude-2").orElseThrow().chars() > 100)
                .findFirst()
                .orElseThrow();
        String recorded = item.answer("claude-2").orElseThrow().text();

        // when
        HttpResponse<Buffer> response = post(open, chat("claude-2", item.prompt()), null);

        // then
        assertThat(content(response)).isEqualTo(recorded);
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("model")).isEqualTo("claude-2");
        JsonObject usage = body.getJsonObject("usage");
        assertThat(usage.getInteger("prompt_tokens")).isGreaterThan(7);
        assertThat(usage.getInteger("completion_tokens")).isEqualTo(new TokenCounter().count(recorded));
        assertThat(usage.getInteger("total_tokens"))
                .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
        assertThat(content(post(open, chat("llama-13b", item.prompt()), null)))
                .isEqualTo(item.answer("llama-13b").orElseThrow().text());
    }

    @Test
    void answersAKnownModelOnAPromptItHasNoAnswerForAsOnAnUnknownPrompt() throws Exception {
        // claude-2 is an Arena model; RouteLLM recorded only GPT-4 and Mixtral on GSM8K
        ReplayItem item = dataset.items(ReplayDataset.GSM8K).get(0);

        String text = content(post(open, chat("claude-2", item.prompt()), null));

        assertThat(text).startsWith("[replay] No recorded answer for this prompt from claude-2");
    }

    @Test
    void rejectsAModelTheDataDoesNotKnowAsOpenAiDoes() throws Exception {
        ReplayItem item = dataset.items(ReplayDataset.ARENA).get(0);

        HttpResponse<Buffer> response = post(open, chat("gpt-5", item.prompt()), null);

        assertThat(response.statusCode()).isEqualTo(404);
        JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("model_not_found");
        assertThat(error.getString("message")).contains("gpt-5");
    }

    @Test
    void truncatesToMaxTokens() throws Exception {
        ReplayItem item = dataset.items("gsm8k").get(0);
        String recorded = item.answers().get(ReplayDataset.STRONG_MODEL).text();

        HttpResponse<Buffer> response =
                post(open, chat(ReplayDataset.STRONG_MODEL, item.prompt()).put("max_tokens", 5), null);

        JsonObject body = response.bodyAsJsonObject();
        JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("length");
        assertThat(body.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(5);
        String text = choice.getJsonObject("message").getString("content");
        assertThat(recorded).startsWith(text);
        assertThat(text.length()).isLessThan(recorded.length());
    }

    @Test
    void rejectsMalformedRequestsWithOpenAiErrors() throws Exception {
        HttpResponse<Buffer> noModel = post(open, new JsonObject().put("messages", new JsonArray()), null);
        HttpResponse<Buffer> noMessages = post(open, new JsonObject().put("model", "m"), null);
        HttpResponse<Buffer> badMaxTokens = post(open, chat("m", "hi").put("max_tokens", 0), null);
        HttpResponse<Buffer> streaming = post(open, chat("m", "hi").put("stream", true), null);
        HttpResponse<Buffer> badJson = await(client.post(open.port(), "127.0.0.1", "/v1/chat/completions")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{\"model\": ")));

        for (HttpResponse<Buffer> response : List.of(noModel, noMessages, badMaxTokens, streaming, badJson)) {
            assertThat(response.statusCode()).isEqualTo(400);
            JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
            assertThat(error.getString("type")).isEqualTo("invalid_request_error");
            assertThat(error.getString("message")).isNotBlank();
        }
        assertThat(noModel.bodyAsJsonObject().getJsonObject("error").getString("message"))
                .contains("model");
    }

    @Test
    void requiresTheConfiguredApiKey() throws Exception {
        JsonObject request = chat(ReplayDataset.STRONG_MODEL, "hello");

        HttpResponse<Buffer> missing = post(secured, request, null);
        HttpResponse<Buffer> wrong = post(secured, request, "sk-wrong");
        HttpResponse<Buffer> right = post(secured, request, API_KEY);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.bodyAsJsonObject().getJsonObject("error").getString("code"))
                .isEqualTo("invalid_api_key");
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void listsModelsAndReportsHealth() throws Exception {
        JsonObject models =
                await(client.get(open.port(), "127.0.0.1", "/v1/models").send()).bodyAsJsonObject();
        HttpResponse<Buffer> health =
                await(client.get(open.port(), "127.0.0.1", "/health").send());

        assertThat(models.getJsonArray("data").stream().map(m -> ((JsonObject) m).getString("id")))
                .containsExactlyElementsOf(dataset.models())
                .startsWith(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL)
                .contains("claude-2")
                .hasSize(16);
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void delaysAnswersByTheConfiguredLatency() throws Exception {
        ReplayServer slow = await(ReplayServer.deploy(
                vertx, dataset, ReplayServerOptions.defaults().withLatency(300, 50)));
        long start = System.nanoTime();

        HttpResponse<Buffer> response = post(slow, chat(ReplayDataset.WEAK_MODEL, "hello"), null);

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    }

    private static JsonObject chat(String model, String prompt) {
        return new JsonObject()
                .put("model", model)
                .put(
                        "messages",
                        new JsonArray()
                                .add(new JsonObject().put("role", "system").put("content", "You are helpful."))
                                .add(new JsonObject().put("role", "user").put("content", prompt)));
    }

    private static HttpResponse<Buffer> post(ReplayServer server, JsonObject body, String apiKey) throws Exception {
        var request = client.post(server.port(), "127.0.0.1", "/v1/chat/completions");
        if (apiKey != null) {
            request.bearerTokenAuthentication(apiKey);
        }
        return await(request.sendJsonObject(body));
    }

    private static String content(HttpResponse<Buffer> response) {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
        return response.bodyAsJsonObject()
                .getJsonArray("choices")
                .getJsonObject(0)
                .getJsonObject("message")
                .getString("content");
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
