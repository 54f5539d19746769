package io.kroute.workers;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;

/** The final outcome of one queue record: a response or a dead letter (exactly one is set). */
public record Outcome(LlmResponse response, DeadLetter deadLetter) {

    public static Outcome answered(LlmResponse response) {
        return new Outcome(response, null);
    }

    public static Outcome deadLettered(DeadLetter deadLetter) {
        return new Outcome(null, deadLetter);
    }

    public boolean isResponse() {
        return response != null;
    }
}
