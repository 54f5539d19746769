package io.kroute.batch.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.Json;

/**
 * An uploaded file as the files topic describes it (the record keyed by its id; its content is the chunks keyed
 * {@code <id>/<n>}), and as {@code GET /v1/files/{id}} shows it.
 *
 * @param owner the API key id that uploaded it; no other key sees it
 * @param lines its lines that are not blank
 */
public record FileMeta(
        String id, String owner, String filename, String purpose, long bytes, int chunks, int lines, long createdAt) {

    public ObjectNode toOpenAi() {
        return fileObject(id, bytes, createdAt, filename, purpose);
    }

    /** OpenAI's file object. */
    public static ObjectNode fileObject(String id, long bytes, long createdAt, String filename, String purpose) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id);
        node.put("object", "file");
        node.put("bytes", bytes);
        node.put("created_at", createdAt);
        node.put("filename", filename);
        node.put("purpose", purpose);
        node.put("status", "processed");
        node.putNull("status_details");
        return node;
    }
}
