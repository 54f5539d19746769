package io.kroute.runtime;

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
import java.util.function.Consumer;

/**
 * Reads a component's YAML configuration into its config record: the file's values are laid over the defaults key by
 * key, so a file only names what it changes. Unknown keys are errors, so a typo cannot silently fall back to a
 * default; a value is what it looks like (a quoted number, a fraction where a whole number belongs, a number for a
 * boolean are errors). Every error is one line naming the key.
 */
public final class YamlConfig {

    public static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, numbers -> numbers.setCoercion(CoercionInputShape.String, Fail))
            .withCoercionConfig(LogicalType.Float, numbers -> numbers.setCoercion(CoercionInputShape.String, Fail))
            .withCoercionConfig(LogicalType.Boolean, flags -> flags.setCoercion(CoercionInputShape.String, Fail)
                    .setCoercion(CoercionInputShape.Integer, Fail))
            .build();

    private YamlConfig() {}

    /** The text of a config file; a missing or unreadable one is one line naming it. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code yaml} over {@code defaults}.
     *
     * @param check looks at the raw overrides before they are merged (e.g. to refuse a key that must not be there)
     * @throws IllegalArgumentException a one-line reason: not YAML, unknown key, bad value
     */
    public static <T> T parse(String yaml, T defaults, Class<T> type, Consumer<JsonNode> check) {
        JsonNode overrides;
        try {
            overrides = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML: " + oneLine(e.getOriginalMessage()) + location(e), e);
        }
        ObjectNode merged = YAML.valueToTree(defaults);
        if (overrides != null && !overrides.isMissingNode() && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new IllegalArgumentException("expected a mapping of keys at the top level");
            }
            check.accept(overrides);
            merge(merged, (ObjectNode) overrides);
        }
        try {
            return YAML.treeToValue(merged, type);
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

    /** The config as YAML that {@link #parse} reads back to an equal config. */
    public static String toYaml(Object config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config as YAML", e);
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
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
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
