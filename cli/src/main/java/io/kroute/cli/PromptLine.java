package io.kroute.cli;

/**
 * One non-blank input line: either a request ready to send (its id and the validated bytes) or the reason it cannot be
 * sent.
 *
 * @param number the line number in the input, from 1
 * @param id the request id, null when the line is bad
 * @param value the request as it goes on the wire, validated against the schema; null when the line is bad
 * @param problem why the line is skipped, null when it is good
 */
record PromptLine(int number, String id, byte[] value, String problem) {

    static PromptLine good(int number, String id, byte[] value) {
        return new PromptLine(number, id, value, null);
    }

    static PromptLine bad(int number, String problem) {
        return new PromptLine(number, null, null, problem);
    }

    boolean isGood() {
        return problem == null;
    }
}
