package io.kroute.schemas;

/** One OpenAI-style chat message: {@code role} is system, user, assistant or tool. */
public record ChatMessage(String role, String content) {

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }
}
