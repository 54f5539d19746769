package io.kroute.replay;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.SplittableRandom;

/**
 * {@code POST /v1/chat/completions}: parses the body, answers from {@link ChatCompletions} and delays the reply by the
 * configured latency with a timer (the event loop is never blocked). A fault injector can sit in front of it as
 * another route handler.
 */
final class ChatCompletionHandler implements Handler<RoutingContext> {

    private final Vertx vertx;
    private final ChatCompletions completions;
    private final long latencyMs;
    private final long jitterMs;
    private final SplittableRandom jitter = new SplittableRandom();

    ChatCompletionHandler(Vertx vertx, ChatCompletions completions, long latencyMs, long jitterMs) {
        this.vertx = vertx;
        this.completions = completions;
        this.latencyMs = latencyMs;
        this.jitterMs = jitterMs;
    }

    @Override
    public void handle(RoutingContext ctx) {
        JsonObject response;
        try {
            response = completions.complete(parse(ctx));
        } catch (OpenAiError e) {
            ReplayServer.sendError(ctx, e);
            return;
        }
        long delay = latencyMs + (jitterMs > 0 ? jitter.nextLong(jitterMs + 1) : 0);
        if (delay == 0) {
            send(ctx, response);
        } else {
            vertx.setTimer(delay, id -> send(ctx, response));
        }
    }

    private static JsonObject parse(RoutingContext ctx) {
        String body = ctx.body().asString();
        if (body == null || body.isBlank()) {
            throw OpenAiError.invalidRequest(null, "The request body is empty; expected a JSON object.");
        }
        try {
            Object json = io.vertx.core.json.Json.decodeValue(body);
            if (json instanceof JsonObject object) {
                return object;
            }
        } catch (DecodeException e) {
            throw OpenAiError.invalidRequest(
                    null,
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
                            + "using your HTTP library correctly.)");
        }
        throw OpenAiError.invalidRequest(null, "The request body must be a JSON object.");
    }

    private static void send(RoutingContext ctx, JsonObject response) {
        if (!ctx.response().closed()) {
            ctx.response().putHeader("content-type", "application/json").end(response.encode());
        }
    }
}
