package io.kroute.cli;

/** How produce reads a line of its input. */
enum InputFormat {
    /** A line starting with {@code {} is JSON, any other line is a prompt. */
    AUTO,
    /** Every line is a prompt, even one that looks like JSON. */
    TEXT,
    /** Every line is a JSON object: a prompt request, or the short form. */
    JSONL
}
