package io.kroute.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.replay.FaultInjector;
import io.kroute.replay.ReplayServer;
import io.kroute.schemas.Json;
import io.kroute.schemas.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the providers and the workers went through during a demo run: the faults each replay provider injected, the
 * workers' retries and failed calls by kind (from their meters). Added to the summary JSON as {@code retries},
 * {@code llm_errors} and {@code faults_injected}, next to the summary's own {@code fallbacks} and
 * {@code dead_letters}.
 */
record ResilienceReport(long retries, Map<String, Long> llmErrors, Map<String, Map<String, Long>> faultsInjected) {

    static ResilienceReport of(Pipeline pipeline) {
        MeterRegistry registry = pipeline.workers().metrics().registry();
        long retries = Math.round(registry.find("kroute.llm.retries").counters().stream()
                .mapToDouble(Counter::count)
                .sum());
        Map<String, Long> errors = new TreeMap<>();
        for (Counter counter : registry.find("kroute.llm.errors").counters()) {
            errors.merge(counter.getId().getTag("kind"), Math.round(counter.count()), Long::sum);
        }
        return new ResilienceReport(retries, errors, injected(pipeline::provider));
    }

    /**
     * The same from the worker processes' {@code /metrics}: the processes running at the end, so the calls of a worker
     * killed by the chaos schedule are not in it.
     */
    static ResilienceReport of(ScaledPipeline pipeline) throws IOException, InterruptedException {
        long retries = 0;
        Map<String, Long> errors = new TreeMap<>();
        for (String text : pipeline.workerMetrics()) {
            for (PrometheusText.Sample sample : PrometheusText.samples(text, "kroute_llm_retries_total")) {
                retries += Math.round(sample.value());
            }
            for (PrometheusText.Sample sample : PrometheusText.samples(text, "kroute_llm_errors_total")) {
                errors.merge(sample.labels().get("kind"), Math.round(sample.value()), Long::sum);
            }
        }
        return new ResilienceReport(retries, errors, injected(pipeline::provider));
    }

    private static Map<String, Map<String, Long>> injected(Function<Tier, ReplayServer> providers) {
        Map<String, Map<String, Long>> faults = new TreeMap<>();
        for (Tier tier : Tier.values()) {
            Map<String, Long> injected = new TreeMap<>();
            for (Map.Entry<FaultInjector.Fault, Long> entry :
                    providers.apply(tier).faults().injected().entrySet()) {
                injected.put(entry.getKey().name().toLowerCase(Locale.ROOT), entry.getValue());
            }
            faults.put(tier.wireName(), injected);
        }
        return faults;
    }

    /** Adds this report's keys to the summary JSON already written to {@code file}. */
    void addTo(Path file) throws IOException {
        ObjectNode summary = (ObjectNode) Json.MAPPER.readTree(file.toFile());
        summary.put("retries", retries);
        summary.set("llm_errors", Json.MAPPER.valueToTree(llmErrors));
        summary.set("faults_injected", Json.MAPPER.valueToTree(faultsInjected));
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), summary);
    }

    String table(int fallbacks) {
        StringBuilder out = new StringBuilder();
        row(out, "fallbacks", fallbacks + " (answered by the other tier's model)");
        row(out, "retries", retries + " (calls after the first attempt)");
        row(out, "failed calls", llmErrors.isEmpty() ? "none" : llmErrors.toString());
        faultsInjected.forEach((tier, injected) -> row(out, "faults " + tier, injected.toString()));
        return out.toString();
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "| %-20s | %-58s |%n", name, value));
    }
}
