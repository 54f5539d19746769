package io.kroute.batch.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.Json;
import io.kroute.schemas.LlmResponse;

/**
 * The lines of a job's output and error files, and the error body of a refused call, in OpenAI's formats, so the
 * official clients and the tools built on them read kroute's results as they read OpenAI's.
 */
public final class OpenAiBatchFormat {

    private OpenAiBatchFormat() {}

    /**
     * An output-file line: {@code {"id", "custom_id", "response": {"status_code": 200, "request_id", "body": <a
     * chat.completion>}, "error": null}}. The completion's {@code model} is the model that answered, which is the
     * routing decision made visible.
     */
    public static ObjectNode outputLine(String customId, LlmResponse r) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("id", "batch_req_" + r.requestId());
        line.put("custom_id", customId);
        ObjectNode response = line.putObject("response");
        response.put("status_code", 200);
        response.put("request_id", r.requestId());
        ObjectNode body = response.putObject("body");
        body.put("id", "chatcmpl-" + r.requestId());
        body.put("object", "chat.completion");
        body.put("created", r.completedAt() / 1000);
        body.put("model", r.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", r.text());
        choice.put("finish_reason", r.finishReason() == null ? "stop" : r.finishReason());
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", r.promptTokens());
        usage.put("completion_tokens", r.completionTokens());
        usage.put("total_tokens", r.promptTokens() + r.completionTokens());
        line.putNull("error");
        return line;
    }

    /** An error-file line: {@code {"id", "custom_id", "response": null, "error": {"code", "message"}}}. */
    public static ObjectNode errorLine(String requestId, String customId, String code, String message) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("id", "batch_req_" + requestId);
        if (customId == null) {
            line.putNull("custom_id");
        } else {
            line.put("custom_id", customId);
        }
        line.putNull("response");
        ObjectNode error = line.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return line;
    }

    /** The error-file line of a line of the input that did not run. */
    public static ObjectNode errorLine(String batchId, BatchFileReader.LineError e) {
        return errorLine(batchId + "-line-" + e.lineNumber(), e.customId(), e.code(), e.message());
    }

    /**
     * The body of a refused API call, {@code {"error": {"message", "type", "param", "code"}}}, as OpenAI sends it
     * (type {@code invalid_request_error} for a 400 or 404, {@code authentication_error} for a 401).
     */
    public static ObjectNode apiError(String type, String code, String param, String message) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return root;
    }
}
