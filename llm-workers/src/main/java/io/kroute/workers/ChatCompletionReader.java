package io.kroute.workers;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/**
 * Reads a chat completion body into a {@link ChatResult}, or says why it cannot. The token counts are what the answer
 * is billed by, so they are taken only as whole numbers from 0 to {@link #MAX_TOKENS} (or absent, then 0): a negative
 * count would make a negative cost, a count past an {@code int} would wrap, and either would go into the responses and
 * the cost metric as if it were true.
 */
final class ChatCompletionReader {

    /** Far above any context window; a provider reporting more is not reporting usage. */
    static final long MAX_TOKENS = 10_000_000;

    /** Why a body is not a chat completion; the message goes into the dead letter. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private ChatCompletionReader() {}

    static ChatResult read(String body) {
        try {
            JsonObject completion = new JsonObject(body);
            JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
            JsonObject usage = completion.getJsonObject("usage", new JsonObject());
            String text = choice.getJsonObject("message").getString("content");
            return new ChatResult(
                    completion.getString("model"),
                    text == null ? "" : text,
                    choice.getString("finish_reason"),
                    tokens(usage, "prompt_tokens"),
                    tokens(usage, "completion_tokens"),
                    1);
        } catch (DecodeException | ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new Unreadable("unreadable chat completion: " + body);
        }
    }

    private static int tokens(JsonObject usage, String name) {
        Object value = usage.getValue(name);
        if (value == null) {
            return 0;
        }
        BigDecimal count = value instanceof Number number ? exact(number) : null;
        if (count == null
                || count.signum() < 0
                || count.compareTo(BigDecimal.valueOf(MAX_TOKENS)) > 0
                || count.stripTrailingZeros().scale() > 0) {
            throw new Unreadable("unreadable chat completion: usage." + name + " is " + value
                    + ", not a whole number from 0 to " + MAX_TOKENS);
        }
        return count.intValueExact();
    }

    private static BigDecimal exact(Number number) {
        try {
            return new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            return null; // NaN or infinite
        }
    }
}
