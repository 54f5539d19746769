package io.kroute.workers;

import static com.fasterxml.jackson.databind.cfg.CoercionAction.Fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a {@link WorkerConfig} from YAML: the file's values are laid over {@link WorkerConfig#defaults()} key by key,
 * so a file only names what it changes. Unknown keys are errors, so a typo cannot silently fall back to a default.
 */
public final class WorkerConfigLoader {

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // a fraction where a whole number belongs (max_in_flight: 1.5) is an error, not silently cut to 1
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // and quoted numbers or numbers for booleans are errors too: a value is what it looks like
            .withCoercionConfig(LogicalType.Integer, numbers -> numbers.setCoercion(CoercionInputShape.String, Fail))
            .withCoercionConfig(LogicalType.Float, numbers -> numbers.setCoercion(CoercionInputShape.String, Fail))
            .withCoercionConfig(LogicalType.Boolean, flags -> flags.setCoercion(CoercionInputShape.String, Fail)
                    .setCoercion(CoercionInputShape.Integer, Fail))
            .build();

    private WorkerConfigLoader() {}

    /**
     * @throws IllegalArgumentException with a one-line reason naming the file: missing, not YAML, unknown key, bad
     *     value
     */
    public static WorkerConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The config as YAML that {@link #parse(String)} reads back to an equal config (an API key given in code is left out). */
    public static String toYaml(WorkerConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config as YAML", e);
        }
    }

    /** Parses YAML text; see {@link #load(Path)}. */
    public static WorkerConfig parse(String yaml) {
        JsonNode overrides;
        try {
            overrides = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML: " + oneLine(e.getOriginalMessage()) + location(e), e);
        }
        ObjectNode merged = YAML.valueToTree(WorkerConfig.defaults());
        if (overrides != null && !overrides.isMissingNode() && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new IllegalArgumentException("expected a mapping of keys at the top level");
            }
            for (String tier : new String[] {"strong", "weak"}) {
                if (overrides.path(tier).has("api_key")) {
                    throw new IllegalArgumentException(
                            tier + ".api_key is not allowed: put the key in an environment variable and name it in "
                                    + tier + ".api_key_env");
                }
            }
            merge(merged, (ObjectNode) overrides);
        }
        try {
            return YAML.treeToValue(merged, WorkerConfig.class).validate();
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown key '" + e.getPropertyName() + "' at " + path(e), e);
        } catch (JsonMappingException e) {
            // Jackson's hint to enable a coercion is advice to the programmer, not to whoever edits the file
            String why = oneLine(e.getOriginalMessage())
                    .replaceFirst(" \\(but (could|might) [^)]*CoercionConfig[^)]*\\)$", "");
            throw new IllegalArgumentException("bad value at " + path(e) + ": " + why, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read: " + oneLine(e.getOriginalMessage()), e);
        }
    }

    /** Lays {@code overrides} over {@code target}: mappings merge key by key, anything else replaces. */
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

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.length() == 0 ? "top level" : path.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
