package io.kroute.router.text;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Surface features of a prompt that sentence embeddings flatten out: how long and how numeric it is, how many
 * quantities and sentences it has, cue words of multi-step arithmetic (rates, fractions, money, time), and the
 * shape of a multiple-choice question (options of lines {@code A. ...}, numeric options, negated stems, statement
 * pairs). Raw values; the router standardises them with the training set's mean and deviation.
 */
public final class SurfaceFeatures {

    public static final String VERSION = "surface-v1";

    private static final List<String> CUES = List.of(
            "half",
            "third",
            "quarter",
            "twice",
            "times",
            "percent",
            "%",
            "each",
            "every",
            "per",
            "more than",
            "less than",
            "fewer",
            "remaining",
            "rest",
            "left",
            "total",
            "average",
            "ratio",
            "hour",
            "minute",
            "week",
            "month",
            "year",
            "day",
            "cent",
            "$",
            "profit",
            "discount",
            "tax",
            "interest",
            "speed",
            "mile",
            "km",
            "dozen",
            "pair",
            "if",
            "after",
            "before",
            "then",
            "how many",
            "how much",
            "each of",
            "twice as",
            "as many",
            "difference",
            "fraction",
            "/",
            ".",
            "sold",
            "bought",
            "spent",
            "save",
            "cost",
            "price",
            "age",
            "older",
            "younger");

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
    private static final Pattern SENTENCE_END = Pattern.compile("[.?!](\\s|$)");
    private static final Pattern NUMERIC_OPTION = Pattern.compile("[\\s\\-$\\d.,/%()^x*+eπ√]+");
    private static final Pattern ROMAN = Pattern.compile("\\b(i|ii|iii|iv)\\b");
    private static final Pattern NEGATION = Pattern.compile("\\b(not|except|least|false)\\b");
    private static final Pattern NEGATION_UPPER = Pattern.compile("\\b(NOT|EXCEPT|LEAST)\\b");

    public static final int COUNT = 9 + CUES.size() + 20;

    private SurfaceFeatures() {}

    public static float[] of(String prompt) {
        float[] f = new float[COUNT];
        int k = 0;
        String lower = prompt.toLowerCase(Locale.ROOT);
        int length = prompt.length();
        int digits = 0;
        for (int i = 0; i < length; i++) {
            if (Character.isDigit(prompt.charAt(i))) {
                digits++;
            }
        }
        List<String> numbers = all(NUMBER, prompt);
        int longestNumber = 0;
        int decimals = 0;
        for (String n : numbers) {
            longestNumber = Math.max(longestNumber, n.length());
            decimals += n.contains(".") ? 1 : 0;
        }
        f[k++] = log1p(length);
        f[k++] = log1p(words(prompt));
        f[k++] = log1p(count(prompt, "\n"));
        f[k++] = (float) digits / Math.max(1, length);
        f[k++] = log1p(numbers.size());
        f[k++] = log1p(new HashSet<>(numbers).size());
        f[k++] = all(SENTENCE_END, prompt).size();
        f[k++] = longestNumber;
        f[k++] = decimals;
        for (String cue : CUES) {
            f[k++] = count(lower, cue);
        }
        k = multipleChoice(prompt, lower, f, k);
        if (k != COUNT) {
            throw new IllegalStateException("feature count " + k + " != " + COUNT);
        }
        return f;
    }

    private static int multipleChoice(String prompt, String lower, float[] f, int k) {
        MultipleChoice parsed = MultipleChoice.parse(prompt);
        String question = parsed.stem();
        List<String> options = parsed.options();
        double mean = options.stream().mapToInt(String::length).average().orElse(0);
        double variance = options.stream()
                .mapToDouble(o -> (o.length() - mean) * (o.length() - mean))
                .average()
                .orElse(0);
        int longest = options.stream().mapToInt(String::length).max().orElse(0);
        long numericOptions = options.stream()
                .filter(o -> NUMERIC_OPTION.matcher(o.strip()).matches())
                .count();
        int questionDigits = 0;
        for (int i = 0; i < question.length(); i++) {
            questionDigits += Character.isDigit(question.charAt(i)) ? 1 : 0;
        }
        f[k++] = log1p(question.length());
        f[k++] = log1p(mean);
        f[k++] = log1p(Math.sqrt(variance));
        f[k++] = log1p(longest);
        f[k++] = numericOptions;
        f[k++] = flag(lower.contains("statement 1"));
        f[k++] = flag(lower.contains("all of the above"));
        f[k++] = flag(lower.contains("none of the above"));
        f[k++] = flag(ROMAN.matcher(lower).find() && lower.contains(" only"));
        f[k++] = flag(NEGATION.matcher(question).find());
        f[k++] = flag(NEGATION_UPPER.matcher(question).find());
        f[k++] = flag(lower.contains("true, true") || lower.contains("true, false"));
        f[k++] = flag(lower.contains("wrong, wrong") || lower.contains("wrong, not wrong"));
        f[k++] = count(question, "?");
        f[k++] = flag(prompt.contains("="));
        f[k++] = flag(prompt.contains("\\") || prompt.contains("^"));
        f[k++] = (float) questionDigits / Math.max(1, question.length());
        f[k++] = flag(lower.contains("which of the following"));
        f[k++] = flag(lower.contains("most likely"));
        f[k++] = flag(lower.contains("best"));
        return k;
    }

    private static float log1p(double x) {
        return (float) Math.log1p(x);
    }

    private static float flag(boolean b) {
        return b ? 1f : 0f;
    }

    private static int words(String text) {
        String stripped = text.strip();
        return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
    }

    /** Non-overlapping occurrences, as Python's str.count. */
    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new java.util.ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
