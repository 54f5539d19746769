package io.kroute.replay;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Rejects requests whose {@code Authorization: Bearer} token is not the configured key, with OpenAI's 401. */
final class ApiKeyHandler implements Handler<RoutingContext> {

    private final byte[] expected;

    ApiKeyHandler(String apiKey) {
        this.expected = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        byte[] actual = header == null ? new byte[0] : header.strip().getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected, actual)) {
            ctx.next();
            return;
        }
        String message = header == null
                ? "You didn't provide an API key. You need to provide your API key in an Authorization header "
                        + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided.";
        ReplayServer.sendError(ctx, new OpenAiError(401, "invalid_request_error", "invalid_api_key", message));
    }
}
