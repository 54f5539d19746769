package io.kroute.cli;

/** Errors are told in one line each: the CLI never prints a stack trace at its user. */
final class OneLine {

    private OneLine() {}

    /** The first line of a message, or {@code unknown error} when there is none. */
    static String of(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    /** The innermost cause: Kafka wraps the useful message (an unresolvable host, a refused login) several times. */
    static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
