package io.kroute.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Validates JSON against one of the schemas under {@code src/main/resources/schemas/} (JSON Schema 2020-12). */
public final class SchemaValidator {

    static final String SCHEMA_BASE_URI = "https://kroute.io/schemas/";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_BASE_URI, "classpath:schemas/")));

    private final String schemaFile;
    private final JsonSchema schema;

    private SchemaValidator(String schemaFile) {
        this.schemaFile = schemaFile;
        this.schema = FACTORY.getSchema(SchemaLocation.of(SCHEMA_BASE_URI + schemaFile));
        this.schema.initializeValidators();
    }

    /** Loads {@code schemas/<schemaFile>} from the classpath; fails fast if the schema itself is broken. */
    public static SchemaValidator forSchema(String schemaFile) {
        return new SchemaValidator(schemaFile);
    }

    /** The violations, sorted so that the reason on a dead letter is stable; empty when the document is valid. */
    public List<String> violations(JsonNode document) {
        Set<ValidationMessage> messages = schema.validate(document);
        return messages.stream()
                .map(ValidationMessage::getMessage)
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    public String schemaFile() {
        return schemaFile;
    }
}
