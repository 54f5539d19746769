package io.kroute.batch.ledger;

import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.Tier;
import java.nio.charset.StandardCharsets;

/**
 * USD per million tokens of the two tiers, as the workers charge them, and the most a request can cost on each: what a
 * job's budget reserves before the request is sent. The bound holds whatever the tokenizer: a token is at least one
 * byte of text, plus a few tokens of framing per message, and the answer is capped at {@code max_tokens}.
 *
 * @param maxTokens the answer length a request of a job with a budget is capped at when its line set none
 */
public record Prices(Price strong, Price weak, int maxTokens) {

    /** @param inputPerMillion USD per million prompt tokens; {@code outputPerMillion} per million completion tokens */
    public record Price(double inputPerMillion, double outputPerMillion) {
        public Price {
            if (!(inputPerMillion >= 0)
                    || !(outputPerMillion >= 0)
                    || Double.isInfinite(inputPerMillion)
                    || Double.isInfinite(outputPerMillion)) {
                throw new IllegalArgumentException(
                        "a price must be a finite number >= 0, got " + inputPerMillion + " / " + outputPerMillion);
            }
        }
    }

    /** Framing tokens per message and per request (role markers, the reply's priming), generously counted. */
    static final int TOKENS_PER_MESSAGE = 8;

    static final int TOKENS_PER_REQUEST = 16;

    public Prices {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens for budgeted jobs must be at least 1, got " + maxTokens);
        }
    }

    public Price of(Tier tier) {
        return tier == Tier.STRONG ? strong : weak;
    }

    /** The most {@code request} (whose {@code maxTokens} is set) can cost on {@code tier}. */
    public double worstCaseUsd(PromptRequest request, Tier tier) {
        long input = TOKENS_PER_REQUEST;
        for (ChatMessage message : request.messages()) {
            input += TOKENS_PER_MESSAGE + message.content().getBytes(StandardCharsets.UTF_8).length;
        }
        Price price = of(tier);
        return (input * price.inputPerMillion() + (long) request.maxTokens() * price.outputPerMillion()) / 1e6;
    }
}
