package io.kroute.workers;

import io.kroute.schemas.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt at {@code POST {baseUrl}/v1/chat/completions} (the OpenAI protocol, also spoken by Together, Groq,
 * vLLM and replay-llm). Errors come back as {@link LlmCallException}, classified as retryable or not.
 */
public final class OpenAiChatClient implements ChatClient {

    private static final int MAX_MESSAGE_CHARS = 500;

    private final WebClient client;
    private final String url;
    private final String apiKey;
    private final long requestTimeoutMs;

    /**
     * @param baseUrl e.g. {@code https://api.openai.com}; a trailing {@code /} or {@code /v1} is accepted too
     * @param apiKey sent as {@code Authorization: Bearer}; null sends no header
     * @param maxConnections HTTP/1.1 connections to keep; size it to the calls in flight so none waits for a socket
     */
    public OpenAiChatClient(Vertx vertx, String baseUrl, String apiKey, long requestTimeoutMs, int maxConnections) {
        this.client = WebClient.create(
                vertx,
                new WebClientOptions().setKeepAlive(true).setUserAgent("kroute-llm-workers"),
                new PoolOptions().setHttp1MaxSize(maxConnections));
        this.url = chatUrl(baseUrl);
        this.apiKey = apiKey;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** A client for one tier, its key resolved from the config (never logged). */
    public static OpenAiChatClient forTier(Vertx vertx, TierConfig tier) {
        return new OpenAiChatClient(
                vertx, tier.baseUrl(), tier.resolveApiKey(), tier.requestTimeoutMs(), tier.maxConcurrentCalls());
    }

    @Override
    public Future<ChatResult> complete(String model, List<ChatMessage> messages, Integer maxTokens) {
        JsonArray wireMessages = new JsonArray();
        for (ChatMessage message : messages) {
            wireMessages.add(new JsonObject().put("role", message.role()).put("content", message.content()));
        }
        JsonObject body = new JsonObject().put("model", model).put("messages", wireMessages);
        if (maxTokens != null) {
            body.put("max_tokens", maxTokens);
        }
        HttpRequest<Buffer> request = client.postAbs(url).timeout(requestTimeoutMs);
        if (apiKey != null) {
            request.bearerTokenAuthentication(apiKey);
        }
        return request.sendJsonObject(body)
                .recover(failure -> Future.failedFuture(transportFailure(failure)))
                .compose(OpenAiChatClient::toResult);
    }

    @Override
    public Future<Void> close() {
        client.close();
        return Future.succeededFuture();
    }

    static String chatUrl(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - "/v1".length());
        }
        return base + "/v1/chat/completions";
    }

    private static Future<ChatResult> toResult(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status != 200) {
            return Future.failedFuture(new LlmCallException(
                    status,
                    LlmCallException.isRetryableStatus(status),
                    providerMessage(response),
                    retryAfterMs(response.getHeader("Retry-After")),
                    1,
                    null));
        }
        try {
            JsonObject body = response.bodyAsJsonObject();
            JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
            JsonObject usage = body.getJsonObject("usage", new JsonObject());
            String text = choice.getJsonObject("message").getString("content");
            return Future.succeededFuture(new ChatResult(
                    body.getString("model"),
                    text == null ? "" : text,
                    choice.getString("finish_reason"),
                    usage.getInteger("prompt_tokens", 0),
                    usage.getInteger("completion_tokens", 0),
                    1));
        } catch (DecodeException | ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            return Future.failedFuture(new LlmCallException(
                    status, false, "unreadable chat completion: " + abbreviate(response.bodyAsString()), -1, 1, e));
        }
    }

    private static LlmCallException transportFailure(Throwable failure) {
        String what;
        LlmCallException.Kind kind = LlmCallException.Kind.CONNECTION;
        if (failure instanceof TimeoutException) {
            what = "timed out";
            kind = LlmCallException.Kind.TIMEOUT;
        } else if (failure instanceof ConnectException) {
            what = "cannot connect";
        } else if (failure instanceof HttpClosedException || failure instanceof IOException) {
            what = "connection lost";
        } else {
            what = "request failed";
        }
        // with no response, nothing says the provider refused the request: trying again is worth it
        return new LlmCallException(kind, 0, true, what + ": " + failure.getMessage(), -1, 1, failure);
    }

    /** OpenAI's {@code error.message} when the body has one, else the start of the body. */
    private static String providerMessage(HttpResponse<Buffer> response) {
        String body = response.bodyAsString();
        if (body == null || body.isBlank()) {
            return response.statusMessage();
        }
        try {
            Object error = new JsonObject(body).getValue("error");
            if (error instanceof JsonObject object && object.getString("message") != null) {
                String type = object.getString("type");
                return (type == null ? "" : type + ": ") + abbreviate(object.getString("message"));
            }
            if (error instanceof String message) {
                return abbreviate(message);
            }
        } catch (DecodeException | ClassCastException e) {
            // not JSON: fall through to the raw body
        }
        return abbreviate(body);
    }

    /** Retry-After in seconds (OpenAI and most providers); HTTP dates are ignored. */
    static long retryAfterMs(String header) {
        if (header == null) {
            return -1;
        }
        try {
            double seconds = Double.parseDouble(header.trim());
            return seconds < 0 ? -1 : (long) (seconds * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replace('\n', ' ').strip();
        return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
