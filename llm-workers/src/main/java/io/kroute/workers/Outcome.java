package io.kroute.workers;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;

/**
 * The final outcome of one queue record: a response or a dead letter (exactly one is set), with its encoded value
 * (encoding validates against the schema, so it is done once, where the size is checked too).
 */
public record Outcome(LlmResponse response, DeadLetter deadLetter, byte[] value) {

    public static Outcome answered(LlmResponse response) {
        return new Outcome(response, null, Codecs.LLM_RESPONSE.encode(response));
    }

    public static Outcome deadLettered(DeadLetter deadLetter) {
        return new Outcome(null, deadLetter, Codecs.DEAD_LETTER.encode(deadLetter));
    }

    /** The record key: the request id of a response, the original key of a dead letter. */
    public String key() {
        return response != null ? response.requestId() : deadLetter.key();
    }

    public boolean isResponse() {
        return response != null;
    }
}
