package io.kroute.cli;

/**
 * A batch command could not do what was asked (the gateway said no, cannot be reached, answered nonsense, or a result
 * cannot be written): told in one line, exit 1. The message never holds the API key.
 */
final class BatchFailure extends Exception {

    private final boolean retryable;

    /** @param retryable the same call may work a moment later: the gateway was down, slow or overloaded */
    BatchFailure(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    BatchFailure(String message) {
        this(message, false);
    }

    boolean retryable() {
        return retryable;
    }
}
