package io.kroute.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET /health} answers: up only when every part of the component is, with each part's state, so a
 * probe (Kubernetes, a load balancer) and a person read the same thing.
 *
 * @param checks each part's name, whether it is up, and a word on its state
 */
public record Health(Map<String, Check> checks) {

    /** One part of a component, e.g. the Kafka Streams instance or a queue's consumer. */
    public record Check(boolean up, String state) {}

    public Health {
        checks = Map.copyOf(checks);
    }

    public boolean up() {
        return checks.values().stream().allMatch(Check::up);
    }

    /** A builder in the order parts are added, so the JSON reads in the order the component starts them. */
    public static Builder builder() {
        return new Builder();
    }

    public String toJson() {
        StringBuilder json =
                new StringBuilder("{\"status\":\"").append(up() ? "UP" : "DOWN").append("\",\"checks\":{");
        boolean first = true;
        for (Map.Entry<String, Check> entry : new java.util.TreeMap<>(checks).entrySet()) {
            json.append(first ? "" : ",")
                    .append(quote(entry.getKey()))
                    .append(":{\"up\":")
                    .append(entry.getValue().up())
                    .append(",\"state\":")
                    .append(quote(entry.getValue().state()))
                    .append('}');
            first = false;
        }
        return json.append("}}").toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : String.valueOf(text).toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    public static final class Builder {
        private final Map<String, Check> checks = new LinkedHashMap<>();

        public Builder check(String name, boolean up, String state) {
            checks.put(name, new Check(up, state));
            return this;
        }

        public Health build() {
            return new Health(checks);
        }
    }
}
