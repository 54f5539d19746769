package io.kroute.router.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt split as a multiple-choice question: option lines {@code A. ...} to {@code D. ...} (their text after
 * the letter and the separator) and the stem, every other line in order.
 */
public record MultipleChoice(String stem, List<String> options) {

    public static MultipleChoice parse(String prompt) {
        StringBuilder stem = new StringBuilder();
        List<String> options = new ArrayList<>();
        for (String line : prompt.split("\n", -1)) {
            if (line.length() > 2 && "ABCD".indexOf(line.charAt(0)) >= 0 && line.charAt(1) == '.') {
                options.add(line.substring(3));
            } else {
                stem.append(line).append('\n');
            }
        }
        return new MultipleChoice(stem.length() > 0 ? stem.substring(0, stem.length() - 1) : "", List.copyOf(options));
    }
}
