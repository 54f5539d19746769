package io.kroute.workers;

import io.kroute.schemas.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP attempt at {@code POST {baseUrl}/v1/chat/completions} (the OpenAI protocol, also spoken by Together, Groq,
 * vLLM and replay-llm), bounded by {@link BoundedHttpCall}: a deadline over headers and body, a cap on the body, no
 * redirects. Errors come back as {@link LlmCallException}, classified as retryable or not, with anything key-shaped in
 * the provider's words masked ({@link SecretMask}).
 */
public final class OpenAiChatClient implements ChatClient {

    private static final int MAX_MESSAGE_CHARS = 500;

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final String url;
    private final String apiKey;
    private final long requestTimeoutMs;
    private final long maxResponseBytes;
    private final SecretMask mask;

    /**
     * @param baseUrl e.g. {@code https://api.openai.com}; a trailing {@code /} or {@code /v1} is accepted too
     * @param apiKey sent as {@code Authorization: Bearer}; null sends no header
     * @param requestTimeoutMs deadline of one attempt, from connecting to the last byte of the body
     * @param maxResponseBytes largest body read; a larger one fails the attempt as unreadable
     * @param maxConnections HTTP/1.1 connections to keep; size it to the calls in flight so none waits for a socket
     */
    public OpenAiChatClient(
            Vertx vertx,
            String baseUrl,
            String apiKey,
            long requestTimeoutMs,
            long maxResponseBytes,
            int maxConnections) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(maxConnections));
        this.url = chatUrl(baseUrl);
        this.apiKey = apiKey;
        this.requestTimeoutMs = requestTimeoutMs;
        this.maxResponseBytes = maxResponseBytes;
        this.mask = new SecretMask(apiKey);
    }

    /** With the default limit on the response body. */
    public OpenAiChatClient(Vertx vertx, String baseUrl, String apiKey, long requestTimeoutMs, int maxConnections) {
        this(vertx, baseUrl, apiKey, requestTimeoutMs, TierConfig.DEFAULT_MAX_RESPONSE_BYTES, maxConnections);
    }

    /** A client for one tier, its key resolved from the config (never logged). */
    public static OpenAiChatClient forTier(Vertx vertx, TierConfig tier) {
        return new OpenAiChatClient(
                vertx,
                tier.baseUrl(),
                tier.resolveApiKey(),
                tier.requestTimeoutMs(),
                tier.maxResponseBytes(),
                tier.maxConcurrentCalls());
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
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "kroute-llm-workers");
        if (apiKey != null) {
            options.putHeader("Authorization", "Bearer " + apiKey);
        }
        return BoundedHttpCall.send(vertx, client, options, body.toBuffer(), requestTimeoutMs, maxResponseBytes)
                .transform(sent -> sent.succeeded()
                        ? toResult(sent.result())
                        : Future.failedFuture(transportFailure(sent.cause())));
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }

    static String chatUrl(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - "/v1".length());
        }
        return base + "/v1/chat/completions";
    }

    private Future<ChatResult> toResult(BoundedHttpCall.Answer answer) {
        int status = answer.status();
        if (status >= 300 && status < 400) {
            return Future.failedFuture(new LlmCallException(
                    LlmCallException.Kind.REDIRECT,
                    status,
                    false,
                    safe("redirect to " + redirectTarget(answer.headers().get("Location"))
                            + " not followed: the workers only call base_url"),
                    -1,
                    1,
                    null));
        }
        if (status != 200) {
            return Future.failedFuture(new LlmCallException(
                    status,
                    LlmCallException.isRetryableStatus(status),
                    providerMessage(answer),
                    retryAfterMs(answer.headers().get("Retry-After")),
                    1,
                    null));
        }
        try {
            return Future.succeededFuture(
                    ChatCompletionReader.read(answer.body().toString()));
        } catch (ChatCompletionReader.Unreadable e) {
            return Future.failedFuture(new LlmCallException(status, false, safe(e.getMessage()), -1, 1, null));
        }
    }

    private LlmCallException transportFailure(Throwable failure) {
        if (failure instanceof BoundedHttpCall.TooLarge tooLarge) {
            int status = tooLarge.status();
            // an error status still says what the provider meant; a 200 that cannot be read is unreadable
            return status == 200
                    ? new LlmCallException(
                            LlmCallException.Kind.UNREADABLE, status, false, failure.getMessage(), -1, 1, null)
                    : new LlmCallException(
                            status, LlmCallException.isRetryableStatus(status), failure.getMessage(), -1, 1, null);
        }
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
        return new LlmCallException(kind, 0, true, safe(what + ": " + failure.getMessage()), -1, 1, null);
    }

    /** OpenAI's {@code error.message} when the body has one, else the start of the body; key-shaped text masked. */
    private String providerMessage(BoundedHttpCall.Answer answer) {
        String body = answer.body().toString();
        if (body.isBlank()) {
            return answer.statusMessage();
        }
        try {
            Object error = new JsonObject(body).getValue("error");
            if (error instanceof JsonObject object && object.getString("message") != null) {
                String type = object.getString("type");
                return safe((type == null ? "" : type + ": ") + object.getString("message"));
            }
            if (error instanceof String message) {
                return safe(message);
            }
        } catch (DecodeException | ClassCastException e) {
            // not JSON: fall through to the raw body
        }
        return safe(body);
    }

    /** Where a redirect pointed, without what may be secret in it (user info, query, fragment). */
    static String redirectTarget(String location) {
        if (location == null || location.isBlank()) {
            return "(no Location)";
        }
        try {
            URI uri = URI.create(location.trim());
            String where = uri.getHost() == null
                    ? ""
                    : uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            return where + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(unreadable Location)";
        }
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

    /** Masked first, so a key cut in half by the abbreviation is masked too. */
    private String safe(String text) {
        if (text == null) {
            return "";
        }
        String flat = mask.mask(text).replace('\n', ' ').strip();
        return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
