package io.kroute.workers;

import io.kroute.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The checks of a {@link WorkerConfig}'s queues taken together: how many, their names, each section's own values, the
 * fallbacks between them, the prices of their models, and that queues naming one provider call one endpoint. Each
 * problem is one line naming its key: {@code strong.*} and {@code weak.*} for the two tiers, {@code models.<name>.*}
 * for named queues.
 */
final class QueueChecks {

    /** Longest name or value quoted in a problem, so a wild key in the file still gives a short line. */
    private static final int SHOWN = 64;

    private QueueChecks() {}

    static List<String> problems(WorkerConfig config) {
        List<String> problems = new ArrayList<>();
        Map<String, TierConfig> models = config.models();
        boolean named = !models.isEmpty();
        if (named && (config.strong() != null || config.weak() != null)) {
            problems.add(
                    "models cannot be given together with strong or weak: with models, every queue is named there");
        }
        if (!named && config.strong() == null && config.weak() == null) {
            problems.add("models must name at least one queue");
            return problems;
        }
        Map<String, TierConfig> queues = config.queues();
        if (queues.size() > WorkerConfig.MAX_QUEUES) {
            // before any per-queue check, so the message stays one line however many there are
            problems.add(tooMany(queues.size()));
            return problems;
        }
        Map<String, String> firstOfProvider = new HashMap<>();
        queues.forEach((name, queue) -> {
            String key = key(named, name);
            if (named && !Topics.isQueueName(name)) {
                problems.add(key + ": a queue name must match " + Topics.QUEUE_NAME
                        + " (it names the topic llm-queue-<name>)");
            }
            if (queue == null) {
                problems.add(key + " is required");
                return;
            }
            problems.addAll(queue.problems(key));
            if (queue.hasFallback()) {
                if (queue.fallback().equals(name)) {
                    problems.add(key + ".fallback cannot be the queue itself");
                } else if (!queues.containsKey(queue.fallback())) {
                    problems.add(key + ".fallback must be none or the name of another queue (" + shownNames(queues)
                            + "), got " + shown(queue.fallback()));
                }
            }
            if (queue.model() != null
                    && !queue.model().isBlank()
                    && !config.prices().containsKey(queue.model())) {
                problems.add(key + ".model " + shown(queue.model()) + " has no entry in prices");
            }
            if (queue.provider() != null && !queue.provider().isBlank()) {
                String first = firstOfProvider.putIfAbsent(queue.provider(), name);
                if (first != null && !sameEndpoint(queues.get(first), queue)) {
                    // one client per provider, built from the first queue naming it: the other's URL would be ignored
                    problems.add(key + ".base_url and api_key_env must equal " + key(named, first)
                            + "'s, which names provider " + shown(queue.provider())
                            + " too: queues of one provider share its client (name another provider for another"
                            + " endpoint)");
                }
            }
        });
        return problems;
    }

    static String tooMany(int queues) {
        return "models names " + queues + " queues, at most " + WorkerConfig.MAX_QUEUES
                + " (run several worker processes for more)";
    }

    private static boolean sameEndpoint(TierConfig first, TierConfig other) {
        return Objects.equals(first.baseUrl(), other.baseUrl())
                && Objects.equals(first.apiKeyEnv(), other.apiKeyEnv())
                && Objects.equals(first.apiKey(), other.apiKey());
    }

    private static String key(boolean named, String name) {
        return named ? "models." + shown(name) : name;
    }

    private static String shownNames(Map<String, TierConfig> queues) {
        List<String> names = new ArrayList<>();
        queues.keySet().forEach(name -> names.add(shown(name)));
        return String.join(", ", names);
    }

    private static String shown(String text) {
        String oneLine = text.replaceAll("\\s", " ");
        return oneLine.length() <= SHOWN ? oneLine : oneLine.substring(0, SHOWN) + "...";
    }
}
