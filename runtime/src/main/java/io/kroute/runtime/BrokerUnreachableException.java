package io.kroute.runtime;

/** The cluster a component was pointed at did not answer in time; its message is the one line a user sees. */
public final class BrokerUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrokerUnreachableException(String message) {
        super(message);
    }
}
