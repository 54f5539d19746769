package io.kroute.workers;

import io.kroute.replay.ChatCompletions;
import io.kroute.replay.OpenAiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** An in-test HTTP server that answers chat completions from a script, and records what it was sent. */
final class ScriptedLlmServer {

    /**
     * One scripted answer; {@code delayMs < 0} never answers. With {@code chunkBytes > 0} the body is sent in chunks of
     * that many bytes, one every {@code chunkIntervalMs}, after the headers (and no Content-Length).
     */
    record Reply(
            int status, String body, Map<String, String> headers, long delayMs, int chunkBytes, long chunkIntervalMs) {

        Reply(int status, String body, Map<String, String> headers, long delayMs) {
            this(status, body, headers, delayMs, 0, 0);
        }

        static Reply ok(String model, String text, int promptTokens, int completionTokens) {
            JsonObject body =
                    ChatCompletions.body("chatcmpl-1", 1, model, text, "stop", promptTokens, completionTokens);
            return new Reply(200, body.encode(), Map.of(), 0);
        }

        static Reply error(int status, String type, String message) {
            return new Reply(
                    status,
                    new OpenAiError(status, type, null, message).toJson().encode(),
                    Map.of(),
                    0);
        }

        static Reply raw(int status, String body) {
            return new Reply(status, body, Map.of(), 0);
        }

        static Reply never() {
            return new Reply(0, "", Map.of(), -1);
        }

        Reply withDelay(long delayMs) {
            return new Reply(status, body, headers, delayMs, chunkBytes, chunkIntervalMs);
        }

        Reply withHeader(String name, String value) {
            return new Reply(status, body, Map.of(name, value), delayMs, chunkBytes, chunkIntervalMs);
        }

        /** The body in chunks of {@code bytes}, one every {@code intervalMs} (a slow or endless provider). */
        Reply inChunks(int bytes, long intervalMs) {
            return new Reply(status, body, headers, delayMs, bytes, intervalMs);
        }
    }

    record Received(String authorization, JsonObject body) {}

    private final Vertx vertx;
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong chunkedBytesSent = new AtomicLong();
    private final List<Map.Entry<Predicate<JsonObject>, Reply>> rules = new CopyOnWriteArrayList<>();
    private volatile Reply fallback = Reply.ok("model", "default answer", 1, 1);
    private HttpServer server;

    private ScriptedLlmServer(Vertx vertx) {
        this.vertx = vertx;
    }

    static ScriptedLlmServer start(Vertx vertx) throws Exception {
        ScriptedLlmServer scripted = new ScriptedLlmServer(vertx);
        scripted.server =
                await(vertx.createHttpServer().requestHandler(scripted::handle).listen(0, "127.0.0.1"));
        return scripted;
    }

    ScriptedLlmServer then(Reply reply) {
        script.add(reply);
        return this;
    }

    /** Answers every request whose body matches with {@code reply}, before the script is looked at. */
    ScriptedLlmServer when(Predicate<JsonObject> request, Reply reply) {
        rules.add(Map.entry(request, reply));
        return this;
    }

    ScriptedLlmServer otherwise(Reply reply) {
        fallback = reply;
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The most requests it has held unanswered at once. */
    int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    List<Received> received() {
        return received;
    }

    /** Body bytes of chunked replies written before the reply ended or the client closed the connection. */
    long chunkedBytesSent() {
        return chunkedBytesSent.get();
    }

    void close() throws Exception {
        await(server.close());
    }

    private void handle(HttpServerRequest request) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        request.body().onSuccess(buffer -> {
            // a request that is not JSON (a followed redirect turned into a GET) is recorded too
            JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
            received.add(new Received(request.getHeader("Authorization"), body));
            Reply answer = rules.stream()
                    .filter(rule -> rule.getKey().test(body))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseGet(() -> {
                        Reply reply = script.poll();
                        return reply == null ? fallback : reply;
                    });
            if (answer.delayMs() < 0) {
                return;
            }
            Runnable send = () -> {
                inFlight.decrementAndGet();
                var response = request.response().setStatusCode(answer.status());
                answer.headers().forEach(response::putHeader);
                response.putHeader("content-type", "application/json");
                if (answer.chunkBytes() > 0) {
                    sendInChunks(response, answer);
                } else {
                    response.end(answer.body());
                }
            };
            if (answer.delayMs() == 0) {
                send.run();
            } else {
                vertx.setTimer(answer.delayMs(), id -> send.run());
            }
        });
    }

    private void sendInChunks(HttpServerResponse response, Reply answer) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setChunked(true);
        AtomicInteger next = new AtomicInteger();
        vertx.setPeriodic(1, answer.chunkIntervalMs(), id -> {
            if (response.closed()) {
                vertx.cancelTimer(id);
                return;
            }
            int from = next.get();
            int to = Math.min(body.length, from + answer.chunkBytes());
            if (to > from) {
                response.write(Buffer.buffer(Arrays.copyOfRange(body, from, to)));
                chunkedBytesSent.addAndGet(to - from);
                next.set(to);
            } else {
                vertx.cancelTimer(id);
                response.end();
            }
        });
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
