package io.kroute.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the run was deployed and what that did to it: the brokers, which instance routed and answered how many prompts,
 * the longest stretch without a single outcome, and the faults the chaos schedule caused. Added to the summary JSON
 * as {@code brokers}, {@code instances}, {@code max_stall_s} and {@code chaos}.
 *
 * @param brokers nodes of the Kafka cluster
 * @param instances outcomes per instance: {@code router-stream} (prompts routed) and {@code workers} (outcomes
 *     written), by instance name
 * @param maxStallSeconds the longest gap between two consecutive outcomes, from the first to the last
 * @param chaos what the chaos schedule did and when (seconds from the first prompt), empty without {@code --chaos}
 */
record DeploymentReport(
        int brokers,
        Map<String, Map<String, Long>> instances,
        double maxStallSeconds,
        List<ChaosSchedule.Event> chaos) {

    static DeploymentReport of(int brokers, OutcomeCollector collector, List<ChaosSchedule.Event> chaos) {
        Map<String, Map<String, Long>> instances = new LinkedHashMap<>();
        instances.put("router-stream", new TreeMap<>(collector.routedBy()));
        instances.put("workers", new TreeMap<>(collector.answeredBy()));
        return new DeploymentReport(
                brokers, instances, maxStallSeconds(collector.outcomes().values()), List.copyOf(chaos));
    }

    /** The longest time between two consecutive outcomes, as the collector saw them arrive. */
    static double maxStallSeconds(Collection<Outcome> outcomes) {
        long[] times =
                outcomes.stream().mapToLong(Outcome::observedAtMillis).sorted().toArray();
        long longest = 0;
        for (int i = 1; i < times.length; i++) {
            longest = Math.max(longest, times[i] - times[i - 1]);
        }
        return longest / 1000.0;
    }

    void addTo(Path file) throws IOException {
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        summary.put("brokers", brokers);
        summary.set("instances", Json.MAPPER.valueToTree(instances));
        summary.put("max_stall_s", maxStallSeconds);
        summary.set("chaos", Json.MAPPER.valueToTree(chaos));
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), summary);
    }

    String table() {
        StringBuilder out = new StringBuilder();
        row(out, "brokers", Integer.toString(brokers));
        instances.forEach((component, counts) -> row(out, component, counts.toString()));
        row(out, "longest stall", String.format(Locale.ROOT, "%.1f s without an outcome", maxStallSeconds));
        for (ChaosSchedule.Event event : chaos) {
            row(out, String.format(Locale.ROOT, "chaos at %.1f s", event.atSeconds()), event.action());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "| %-20s | %-58s |%n", name, value));
    }
}
