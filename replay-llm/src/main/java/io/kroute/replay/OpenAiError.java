package io.kroute.replay;

import io.vertx.core.json.JsonObject;

/** An error answered the way OpenAI does: an HTTP status and {@code {"error":{"message","type","code"}}}. */
public final class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;

    public OpenAiError(int status, String type, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public static OpenAiError invalidRequest(String code, String message) {
        return new OpenAiError(400, "invalid_request_error", code, message);
    }

    /** What OpenAI answers for a model it does not serve: 404 with code {@code model_not_found}. */
    public static OpenAiError modelNotFound(String model) {
        return new OpenAiError(
                404,
                "invalid_request_error",
                "model_not_found",
                "The model `" + model + "` does not exist or you do not have access to it.");
    }

    public int status() {
        return status;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put(
                        "error",
                        new JsonObject()
                                .put("message", getMessage())
                                .put("type", type)
                                .put("param", (Object) null)
                                .put("code", code));
    }
}
