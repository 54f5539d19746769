package io.kroute.replay;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;

/**
 * Counts tokens with cl100k_base, GPT-4's tokenizer, whose vocabulary ships inside the jtokkit jar (nothing is
 * downloaded). It is used for every other replayed model too (Mixtral, Claude, Llama, ...): their own tokenizers give
 * somewhat different counts, but one tokenizer for all keeps the replayed usage comparable and cost ratios realistic.
 */
public final class TokenCounter {

    /** OpenAI's accounting for chat models: every message is wrapped in 3 tokens, every reply primed with 3. */
    private static final int TOKENS_PER_MESSAGE = 3;

    private static final int TOKENS_PER_REPLY = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
    }

    /** Prompt tokens as OpenAI bills a chat request (roles and contents plus the fixed per-message framing). */
    public int countChat(List<Message> messages) {
        int total = TOKENS_PER_REPLY;
        for (Message message : messages) {
            total += TOKENS_PER_MESSAGE + count(message.role()) + count(message.content());
        }
        return total;
    }

    /** The first {@code maxTokens} tokens of {@code text}, or null when the text already fits. */
    public Truncated truncate(String text, int maxTokens) {
        EncodingResult result = encoding.encode(text, maxTokens);
        if (!result.isTruncated()) {
            return null;
        }
        return new Truncated(
                encoding.decode(result.getTokens()), result.getTokens().size());
    }

    public record Message(String role, String content) {}

    public record Truncated(String text, int tokens) {}
}
