package io.kroute.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kroute.runtime.ReferenceConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a Grafana dashboard's PromQL queries read, so a test can hold the dashboard to what the components
 * export: a renamed meter then fails a build instead of leaving an empty panel. Names are as Prometheus scrapes them
 * ({@code kroute_router_routed_total}, {@code kroute_llm_calls_seconds_count}: the {@code _total}, {@code _count},
 * {@code _sum}, {@code _max} and {@code _bucket} suffixes are part of the scraped name, so they are kept).
 */
public final class DashboardMetrics {

    /**
     * Names of the dashboard that a component registers only when something fails: a dead letter in router-stream, a
     * failed or retried LLM call in the workers (their counters are created on first use). A test that routes and
     * answers a prompt cleanly does not see them, and should skip them.
     */
    public static final Set<String> ON_FAILURE_ONLY =
            Set.of("kroute_router_dead_letters_total", "kroute_llm_errors_total", "kroute_llm_retries_total");

    private static final ObjectMapper JSON = new ObjectMapper();

    // What is not a metric name: quoted strings (label values, label_replace arguments), label matchers, range and
    // subquery selectors, grouping clauses (their labels), and dashboard variables such as $__rate_interval.
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern VARIABLES = Pattern.compile("\\$\\{?\\w+\\}?");
    // An identifier not preceded by a word character or a dot (so not the exponent of 1e3 or a part of 0.5), read
    // whole (possessive) and not followed by '(' (a function or an aggregation).
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][\\w:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "offset",
            "bool",
            "inf",
            "nan");

    private DashboardMetrics() {}

    /** The dashboard in this checkout, {@code ops/deploy/grafana/kroute-dashboard.json}. */
    public static Path dashboard() {
        Path etc = ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM).getParent();
        return etc.resolveSibling("ops").resolve("deploy").resolve("grafana").resolve("kroute-dashboard.json");
    }

    /** Every metric name that an {@code expr} of the dashboard (at any depth: rows, panels, targets) reads. */
    public static Set<String> names(Path dashboardJson) throws IOException {
        Set<String> names = new TreeSet<>();
        collect(JSON.readTree(dashboardJson.toFile()), names);
        return names;
    }

    /** The metric names one PromQL expression reads. */
    public static Set<String> namesIn(String expr) {
        String stripped = expr;
        for (Pattern noise : new Pattern[] {STRINGS, MATCHERS, RANGES, GROUPING, VARIABLES}) {
            stripped = noise.matcher(stripped).replaceAll(" ");
        }
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            if (!KEYWORDS.contains(identifier.group().toLowerCase(Locale.ROOT))) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    names.addAll(namesIn(field.getValue().asText()));
                } else {
                    collect(field.getValue(), names);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names));
        }
    }
}
