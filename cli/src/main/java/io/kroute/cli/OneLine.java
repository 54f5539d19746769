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

    /**
     * One line of at most {@code max} characters with control characters blanked: a model's answer, a producer's key
     * or a server's error message can hold terminal escape sequences, which must not reach the user's terminal.
     */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 3));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
