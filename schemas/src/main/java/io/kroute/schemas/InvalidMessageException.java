package io.kroute.schemas;

/** A message that cannot be read or breaks its schema; the message says why, for the dead-letter topic. */
public final class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason);
    }

    public InvalidMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
