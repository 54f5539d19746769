package io.kroute.cli;

/** What a script calling kroute can rely on. */
final class ExitCodes {

    /** Everything asked for was done. */
    static final int OK = 0;

    /** The command ran but not everything was done: lines skipped, outcomes missing, an unexpected failure. */
    static final int INCOMPLETE = 1;

    /** Nothing was done: bad usage, unreadable input, or Kafka cannot be reached. */
    static final int CANNOT_START = 2;

    private ExitCodes() {}
}
