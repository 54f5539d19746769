package io.kroute.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.runtime.YamlConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a {@link WorkerConfig} from YAML: the file's values are laid over {@link WorkerConfig#defaults()} key by key,
 * so a file only names what it changes. Unknown keys are errors, so a typo cannot silently fall back to a default.
 *
 * <p>A file either keeps the two tiers ({@code strong:}, {@code weak:}, each laid over its default) or names its queues
 * under {@code models:}; each of those sections is laid over {@link TierConfig#queueDefaults()}, so it needs its model,
 * base_url and provider and nothing else.
 */
public final class WorkerConfigLoader {

    private WorkerConfigLoader() {}

    /**
     * @throws IllegalArgumentException with a one-line reason naming the file: missing, not YAML, unknown key, bad
     *     value
     */
    public static WorkerConfig load(Path file) {
        String text = YamlConfig.read(file);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The config as YAML that {@link #parse(String)} reads back to an equal config (an API key given in code is left out). */
    public static String toYaml(WorkerConfig config) {
        return YamlConfig.toYaml(config);
    }

    /** Parses YAML text; see {@link #load(Path)}. */
    public static WorkerConfig parse(String yaml) {
        AtomicBoolean named = new AtomicBoolean();
        WorkerConfig config = YamlConfig.parse(yaml, WorkerConfig.defaults(), WorkerConfig.class, overrides -> {
            for (String tier : new String[] {"strong", "weak"}) {
                refuseApiKey(overrides.path(tier), tier);
            }
            if (overrides.has("models")) {
                named.set(true);
                layQueuesOverDefaults(overrides);
            }
        });
        // the defaults' two tiers were merged in too; with models they are not queues of this config
        return (named.get() ? config.withQueues(config.models()) : config).validate();
    }

    /**
     * Lays each section of {@code models:} over a queue's defaults in the raw overrides, before they are merged over
     * {@link WorkerConfig#defaults()}: the defaults have no queue by that name to merge with.
     */
    private static void layQueuesOverDefaults(JsonNode overrides) {
        if (overrides.has("strong") || overrides.has("weak")) {
            throw new IllegalArgumentException(
                    "models cannot be given together with strong or weak: with models, every queue is named there");
        }
        JsonNode models = overrides.get("models");
        if (models.isNull() || (models.isObject() && models.isEmpty())) {
            throw new IllegalArgumentException("models must name at least one queue");
        }
        if (!models.isObject()) {
            return; // reading it reports a bad value at models
        }
        ObjectNode queues = (ObjectNode) models;
        if (queues.size() > WorkerConfig.MAX_QUEUES) {
            throw new IllegalArgumentException(QueueChecks.tooMany(queues.size())); // before reading any of them
        }
        List<Map.Entry<String, JsonNode>> sections = new ArrayList<>(queues.properties());
        for (Map.Entry<String, JsonNode> section : sections) {
            String key = "models." + section.getKey();
            refuseApiKey(section.getValue(), key);
            if (section.getValue().isNull() || section.getValue().isObject()) {
                ObjectNode laid = YamlConfig.YAML.valueToTree(TierConfig.queueDefaults());
                if (section.getValue().isObject()) {
                    merge(laid, (ObjectNode) section.getValue());
                }
                queues.set(section.getKey(), laid);
            }
        }
    }

    private static void refuseApiKey(JsonNode section, String key) {
        if (section.has("api_key")) {
            throw new IllegalArgumentException(key
                    + ".api_key is not allowed: put the key in an environment variable and name it in " + key
                    + ".api_key_env");
        }
    }

    /** Mappings merge key by key (circuit_breaker), anything else replaces, as YamlConfig lays a file over defaults. */
    private static void merge(ObjectNode target, ObjectNode overrides) {
        for (Map.Entry<String, JsonNode> field : overrides.properties()) {
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode override) {
                merge(existingObject, override);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}
