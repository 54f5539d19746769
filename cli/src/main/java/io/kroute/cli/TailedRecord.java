package io.kroute.cli;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.LlmResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record of the responses or dead-letter topic as tail reads it: a response, a dead letter, or unreadable, with the
 * reason. Exactly one of {@code response}, {@code deadLetter} and {@code problem} is set.
 */
record TailedRecord(
        ConsumerRecord<String, byte[]> record, LlmResponse response, DeadLetter deadLetter, String problem) {

    static TailedRecord read(ConsumerRecord<String, byte[]> record, String responsesTopic) {
        try {
            if (record.topic().equals(responsesTopic)) {
                return new TailedRecord(record, Codecs.LLM_RESPONSE.decode(record.value()), null, null);
            }
            return new TailedRecord(record, null, Codecs.DEAD_LETTER.decode(record.value()), null);
        } catch (InvalidMessageException e) {
            return new TailedRecord(record, null, null, e.getMessage());
        }
    }

    /** The request this is about: the response's request id, the dead letter's original key, or the record key. */
    String requestId() {
        if (response != null) {
            return response.requestId();
        }
        if (deadLetter != null && deadLetter.key() != null) {
            return deadLetter.key();
        }
        return record.key();
    }

    boolean isOutcome() {
        return problem == null;
    }
}
