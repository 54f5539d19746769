package io.kroute.demo;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.LlmResponse;

/**
 * The final outcome of one request as a consumer of the responses and dead-letter topics sees it.
 *
 * @param response the response, or null when the request was dead-lettered
 * @param deadLetter the dead letter, or null when the request was answered
 * @param observedAtMillis when the consumer saw it
 */
public record Outcome(LlmResponse response, DeadLetter deadLetter, long observedAtMillis) {

    public boolean answered() {
        return response != null;
    }
}
