package io.kroute.stream;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.PromptRequest;
import java.nio.charset.StandardCharsets;

/**
 * The largest prompt the router-stream takes: a record over {@code maxBytes} is refused before it is parsed, a
 * request whose messages count over {@code maxTokens} (cl100k, GPT-4's tokenizer) before it is scored or sent to a
 * provider. Both go to the dead-letter topic with the sizes: a 10 MB prompt costs a comparison, not 15 s of router CPU
 * and a provider call that would fail anyway.
 *
 * @param maxBytes the largest record value, in bytes
 * @param maxTokens the most tokens in all messages' content together
 */
public record PromptLimits(int maxBytes, int maxTokens) {

    public static final int DEFAULT_MAX_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_TOKENS = 32_768;

    public static final PromptLimits DEFAULT = new PromptLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_TOKENS);

    private static final Encoding TOKENS = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public PromptLimits {
        if (maxBytes < 1024 || maxBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("prompt byte limit must be in [1 KiB, 64 MiB], got " + maxBytes);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("prompt token limit must be at least 1, got " + maxTokens);
        }
    }

    /** Why a record of this size is refused, or null when it is not too large. */
    String tooManyBytes(byte[] value) {
        return value != null && value.length > maxBytes
                ? "prompt too large: " + value.length + " bytes, over kroute.prompt.max-bytes=" + maxBytes
                : null;
    }

    /** Why this request is refused for its length, or null. Counts tokens only when the text could exceed the limit. */
    String tooManyTokens(PromptRequest request) {
        long bytes = 0;
        for (ChatMessage message : request.messages()) {
            bytes += message.content().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes <= maxTokens) {
            return null; // a cl100k token is at least one byte of text
        }
        long tokens = 0;
        for (ChatMessage message : request.messages()) {
            tokens += TOKENS.countTokens(message.content());
        }
        return tokens > maxTokens
                ? "prompt too long: " + tokens + " tokens, over kroute.prompt.max-tokens=" + maxTokens
                : null;
    }
}
