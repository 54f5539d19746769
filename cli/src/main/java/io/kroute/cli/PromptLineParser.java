package io.kroute.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.Json;
import io.kroute.schemas.PromptRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns one input line into a prompt request: plain text, a full request as JSON, or the short form {@code {"prompt":
 * ..., "id"?, "max_tokens"?, "metadata"?}}. Every request goes through the project's codec, encoded then decoded, so
 * the bytes sent are exactly the bytes that passed the schema.
 */
final class PromptLineParser {

    private static final Set<String> SHORT_FORM_FIELDS = Set.of("prompt", "id", "max_tokens", "metadata");

    private final InputFormat format;
    private final String tenant;
    private final Integer maxTokens;
    private final Supplier<String> newId;

    /**
     * @param tenant tenant of the requests that name none; null leaves the schema's default
     * @param maxTokens completion limit of the requests that set none; null for the provider's default
     * @param newId the id of a request that has none
     */
    PromptLineParser(InputFormat format, String tenant, Integer maxTokens, Supplier<String> newId) {
        this.format = format;
        this.tenant = tenant;
        this.maxTokens = maxTokens;
        this.newId = newId;
    }

    /** Parses a non-blank line; a bad line comes back with the reason, never as an exception. */
    PromptLine parse(int number, String line) {
        String text = line.strip();
        boolean json =
                switch (format) {
                    case TEXT -> false;
                    case JSONL -> true;
                    case AUTO -> text.startsWith("{");
                };
        try {
            PromptRequest request = json
                    ? fromJson(text)
                    : new PromptRequest(newId.get(), tenant, List.of(ChatMessage.user(text)), maxTokens, null, null, 0);
            byte[] value = Codecs.PROMPT_REQUEST.encode(request);
            Codecs.PROMPT_REQUEST.decode(value);
            return PromptLine.good(number, request.id(), value);
        } catch (InvalidMessageException e) {
            return PromptLine.bad(number, e.getMessage());
        }
    }

    private PromptRequest fromJson(String text) {
        JsonNode tree;
        try {
            // trailing text after the object is a mistake in the line, not something to drop silently
            tree = Json.MAPPER
                    .reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson appends where the object started, which for a single line says nothing
            String message = OneLine.of(e.getOriginalMessage()).replaceFirst("\\s*\\(start marker at .*$", "");
            throw new InvalidMessageException("not valid JSON: " + message);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new InvalidMessageException("not a JSON object");
        }
        ObjectNode request;
        if (object.has("messages")) {
            request = object;
        } else if (object.has("prompt")) {
            request = fromShortForm(object);
        } else {
            throw new InvalidMessageException(
                    "neither a prompt request (no \"messages\") nor the short form (no \"prompt\")");
        }
        if (tenant != null && !request.has("tenant")) {
            request.put("tenant", tenant);
        }
        if (maxTokens != null && !request.has("max_tokens")) {
            request.put("max_tokens", maxTokens);
        }
        try {
            return Codecs.PROMPT_REQUEST.decode(Json.MAPPER.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree just read", e);
        }
    }

    private ObjectNode fromShortForm(ObjectNode shortForm) {
        for (Iterator<String> names = shortForm.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SHORT_FORM_FIELDS.contains(name)) {
                throw new InvalidMessageException(
                        "unknown field \"" + name + "\" in the short form (it takes prompt, id, max_tokens, metadata)");
            }
        }
        if (!shortForm.get("prompt").isTextual()) {
            throw new InvalidMessageException("\"prompt\" must be a string");
        }
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.set("id", shortForm.has("id") ? shortForm.get("id") : request.textNode(newId.get()));
        request.putArray("messages").addObject().put("role", "user").set("content", shortForm.get("prompt"));
        if (shortForm.has("max_tokens")) {
            request.set("max_tokens", shortForm.get("max_tokens"));
        }
        if (shortForm.has("metadata")) {
            request.set("metadata", shortForm.get("metadata"));
        }
        return request;
    }
}
