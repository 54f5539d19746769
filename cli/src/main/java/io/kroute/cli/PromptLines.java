package io.kroute.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads the input line by line, numbered from 1, and parses each non-blank line. A line is bounded: a longer one is
 * reported and skipped without being held in memory, so one runaway line cannot exhaust the heap.
 */
final class PromptLines {

    /** The producer's default {@code max.request.size}: a longer line could not be sent anyway. */
    static final int MAX_LINE_CHARS = 1024 * 1024;

    private final Reader reader;
    private final PromptLineParser parser;
    private final int maxLineChars;
    private int number;

    PromptLines(Reader reader, PromptLineParser parser, int maxLineChars) {
        this.reader = reader;
        this.parser = parser;
        this.maxLineChars = maxLineChars;
    }

    /** The next non-blank line, parsed; null at the end of the input. */
    PromptLine next() throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            boolean tooLong = false;
            int c = reader.read();
            if (c == -1) {
                return null;
            }
            while (c != -1 && c != '\n') {
                if (line.length() < maxLineChars) {
                    line.append((char) c);
                } else {
                    tooLong = true;
                }
                c = reader.read();
            }
            number++;
            if (tooLong) {
                return PromptLine.bad(number, "line longer than " + maxLineChars + " characters");
            }
            // an editor's byte order mark would otherwise turn a first JSON line into a text prompt
            if (number == 1 && line.length() > 0 && line.charAt(0) == '\uFEFF') {
                line.deleteCharAt(0);
            }
            String text = line.toString();
            if (!text.isBlank()) {
                return parser.parse(number, text);
            }
        }
    }
}
