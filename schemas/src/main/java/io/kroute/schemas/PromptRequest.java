package io.kroute.schemas;

import java.util.List;
import java.util.Map;

/**
 * A prompt written by a producer to the prompts topic.
 *
 * @param id unique request id; also the record key on every topic downstream
 * @param tenant who sent it (used for accounting, never for routing); {@code default} when absent
 * @param messages the OpenAI-style conversation, ending with the turn to answer
 * @param maxTokens upper bound on the completion length, or null for the provider's default
 * @param metadata free-form string attributes, carried through untouched
 * @param routing optional routing hints, may be null
 * @param createdAt epoch milliseconds when the producer created the request; 0 when it did not say (the router-stream
 *     then stamps the record's timestamp)
 */
public record PromptRequest(
        String id,
        String tenant,
        List<ChatMessage> messages,
        Integer maxTokens,
        Map<String, String> metadata,
        RoutingHints routing,
        long createdAt) {

    public PromptRequest {
        tenant = tenant == null ? "default" : tenant;
        messages = List.copyOf(messages);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public PromptRequest withCreatedAt(long createdAt) {
        return new PromptRequest(id, tenant, messages, maxTokens, metadata, routing, createdAt);
    }

    /** The text a router scores: the content of the last user message. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage message = messages.get(i);
            if ("user".equals(message.role())) {
                return message.content();
            }
        }
        return "";
    }
}
