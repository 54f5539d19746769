package io.kroute.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples of one metric from a {@code /metrics} page in the Prometheus text format. */
final class PrometheusText {

    /** One line: the labels and the value. */
    record Sample(Map<String, String> labels, double value) {}

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusText() {}

    static List<Sample> samples(String text, String metric) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric) || line.length() == metric.length()) {
                continue;
            }
            char next = line.charAt(metric.length());
            if (next != '{' && next != ' ') {
                continue; // another metric whose name starts with this one
            }
            Map<String, String> labels = new LinkedHashMap<>();
            int end = metric.length();
            if (next == '{') {
                end = line.indexOf('}', end);
                Matcher matcher = LABEL.matcher(line.substring(metric.length() + 1, end));
                while (matcher.find()) {
                    labels.put(matcher.group(1), matcher.group(2));
                }
                end++;
            }
            String[] rest = line.substring(end).trim().split("\\s+");
            samples.add(new Sample(labels, Double.parseDouble(rest[0])));
        }
        return samples;
    }
}
