package io.kroute.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Reads and writes one message type as JSON, validating it against its schema at the edge: nothing that fails the
 * schema is turned into a record.
 */
public final class MessageCodec<T> {

    private final Class<T> type;
    private final SchemaValidator validator;

    public MessageCodec(Class<T> type, String schemaFile) {
        this.type = type;
        this.validator = SchemaValidator.forSchema(schemaFile);
    }

    /**
     * Parses and validates.
     *
     * @throws InvalidMessageException with a reason fit for a dead letter: not JSON, fails the schema, or cannot be
     *     bound
     */
    public T decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidMessageException("empty record value");
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidMessageException("not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidMessageException("not valid JSON: no content");
        }
        List<String> violations;
        try {
            violations = validator.violations(tree);
        } catch (RuntimeException e) {
            // Found by fuzzing: a number like 1e309 where the schema expects a string throws out of the validator. Any
            // record the validator cannot judge is refused like one it finds invalid, never thrown at the caller.
            throw new InvalidMessageException(
                    "fails schema " + validator.schemaFile() + ": cannot be checked ("
                            + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")",
                    e);
        }
        if (!violations.isEmpty()) {
            throw new InvalidMessageException(
                    "fails schema " + validator.schemaFile() + ": " + String.join("; ", violations));
        }
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidMessageException(
                    "cannot bind to " + type.getSimpleName() + ": "
                            + firstLine(
                                    e instanceof JsonProcessingException json
                                            ? json.getOriginalMessage()
                                            : e.toString()),
                    e);
        }
    }

    public byte[] encode(T message) {
        try {
            return Json.MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type.getSimpleName(), e);
        }
    }

    public Class<T> type() {
        return type;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
