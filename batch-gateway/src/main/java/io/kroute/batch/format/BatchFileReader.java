package io.kroute.batch.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Json;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.SchemaValidator;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a batch input file in OpenAI's format (one JSON object per line: {@code custom_id}, {@code method}, {@code
 * url}, {@code body}) into prompt requests, as a stream: a line is handed on as soon as it is read, so a 200 MB file
 * is never held in memory.
 *
 * <p>A bad line (not JSON, an unknown {@code url}, a {@code custom_id} seen before, a body the prompts topic's schema
 * refuses, a line over {@link BatchLimits#maxLineBytes()}) becomes a {@link LineError} for the job's error file and
 * the rest of the file goes on. A file over {@link BatchLimits#maxLines()} lines or {@link BatchLimits#maxBytes()}
 * bytes, or with no request line at all, is refused whole ({@link FileRejected}): what was handed on before that
 * must be discarded by the caller,
 * which is why the gateway validates a file before it creates a job from it.
 */
public final class BatchFileReader {

    /** The only endpoint a batch line may name, as in OpenAI's Batch API. */
    public static final String CHAT_COMPLETIONS = "/v1/chat/completions";

    /** A {@code custom_id} is carried in the request's metadata under this key, the batch id under {@link #BATCH}. */
    public static final String CUSTOM_ID = "batch_custom_id";

    public static final String BATCH = "batch_id";

    /** The model the line asked for: a hint kept in the metadata, the router decides who answers. */
    public static final String REQUESTED_MODEL = "requested_model";

    static final int MAX_CUSTOM_ID = 512;

    private static final SchemaValidator PROMPT_SCHEMA = SchemaValidator.forSchema("prompt-request.schema.json");

    /**
     * One request of the file, as it will be written to the prompts topic.
     *
     * @param dedupKey SHA-256 of the line's body with its keys sorted: two lines share it when they ask the same model
     *     the same thing with the same parameters, however their JSON was laid out
     */
    public record BatchLine(int lineNumber, String customId, PromptRequest request, String dedupKey) {}

    /**
     * A line that will not run, for the error file.
     *
     * @param customId the line's {@code custom_id} when it could be read, else null
     * @param code a short machine-readable code, e.g. {@code invalid_json}
     */
    public record LineError(int lineNumber, String customId, String code, String message) {}

    /** The whole file is refused: HTTP 400 at the gateway, no job. */
    public static final class FileRejected extends Exception {
        private static final long serialVersionUID = 1L;

        public FileRejected(String message) {
            super(message);
        }
    }

    /** What a file held: its lines that are not blank, of which requests and errors, and how many bytes it had. */
    public record Totals(int lines, int requests, int errors, long bytes) {}

    private final BatchLimits limits;

    public BatchFileReader(BatchLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads the file, handing on each request and each bad line in file order.
     *
     * @param batchId the job's id, the prefix of every request id
     * @param tenant who submitted it (the API key's tenant)
     */
    public Totals read(
            InputStream in, String batchId, String tenant, Consumer<BatchLine> requests, Consumer<LineError> errors)
            throws IOException, FileRejected {
        InputStream buffered = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        Set<String> seen = new HashSet<>();
        int lineNumber = 0;
        int requestCount = 0;
        int errorCount = 0;
        long bytes = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean oversized = false;
        int b;
        while (true) {
            b = buffered.read();
            if (b != -1) {
                bytes++;
                if (bytes > limits.maxBytes()) {
                    throw new FileRejected("the file is over " + limits.maxBytes() + " bytes");
                }
            }
            if (b != '\n' && b != -1) {
                if (line.size() < limits.maxLineBytes()) {
                    line.write(b);
                } else {
                    oversized = true;
                }
                continue;
            }
            boolean last = b == -1;
            byte[] content = line.toByteArray();
            line.reset();
            boolean blank = isBlank(content) && !oversized;
            if (!(last && blank)) {
                lineNumber++;
            }
            // blank lines (a trailing one, or one a person left between requests) are not requests
            if (!blank) {
                if (requestCount + errorCount >= limits.maxLines()) {
                    throw new FileRejected("the file has more than " + limits.maxLines() + " lines");
                }
                Object parsed = oversized
                        ? new LineError(
                                lineNumber,
                                null,
                                "line_too_large",
                                "line " + lineNumber + " is over " + limits.maxLineBytes() + " bytes")
                        : parse(lineNumber, content, batchId, tenant, seen);
                if (parsed instanceof BatchLine request) {
                    requestCount++;
                    requests.accept(request);
                } else {
                    errorCount++;
                    errors.accept((LineError) parsed);
                }
            }
            oversized = false;
            if (last) {
                break;
            }
        }
        if (requestCount + errorCount == 0) {
            throw new FileRejected("the file has no lines");
        }
        return new Totals(requestCount + errorCount, requestCount, errorCount, bytes);
    }

    /**
     * Checks a file against the whole-file limits only (bytes, lines that are not blank, at least one), without reading
     * any line: what an upload needs, since a job's lines are read and judged when the job is created, as OpenAI does.
     */
    public Totals count(InputStream in) throws IOException, FileRejected {
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        int lines = 0;
        boolean blank = true;
        int n;
        while ((n = in.read(buffer)) != -1) {
            bytes += n;
            if (bytes > limits.maxBytes()) {
                throw new FileRejected("the file is over " + limits.maxBytes() + " bytes");
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    if (!blank && ++lines > limits.maxLines()) {
                        throw new FileRejected("the file has more than " + limits.maxLines() + " lines");
                    }
                    blank = true;
                } else if (b != ' ' && b != '\t' && b != '\r') {
                    blank = false;
                }
            }
        }
        if (!blank && ++lines > limits.maxLines()) {
            throw new FileRejected("the file has more than " + limits.maxLines() + " lines");
        }
        if (lines == 0) {
            throw new FileRejected("the file has no lines");
        }
        return new Totals(lines, 0, 0, bytes);
    }

    private Object parse(int lineNumber, byte[] content, String batchId, String tenant, Set<String> seen) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(new String(content, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return new LineError(lineNumber, null, "invalid_json", "line " + lineNumber + " is not a JSON object");
        }
        if (node == null || !node.isObject()) {
            return new LineError(lineNumber, null, "invalid_json", "line " + lineNumber + " is not a JSON object");
        }
        JsonNode idNode = node.get("custom_id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            return new LineError(lineNumber, null, "missing_custom_id", "line " + lineNumber + " has no custom_id");
        }
        String customId = idNode.asText();
        if (customId.length() > MAX_CUSTOM_ID) {
            return new LineError(
                    lineNumber,
                    null,
                    "invalid_custom_id",
                    "line " + lineNumber + ": custom_id is over " + MAX_CUSTOM_ID + " characters");
        }
        if (!seen.add(customId)) {
            return new LineError(
                    lineNumber,
                    customId,
                    "duplicate_custom_id",
                    "line " + lineNumber + ": custom_id '" + customId + "' is used by an earlier line");
        }
        String method = node.path("method").asText("");
        if (!method.equals("POST")) {
            return new LineError(
                    lineNumber, customId, "invalid_method", "line " + lineNumber + ": method must be POST");
        }
        String url = node.path("url").asText("");
        if (!url.equals(CHAT_COMPLETIONS)) {
            return new LineError(
                    lineNumber,
                    customId,
                    "invalid_url",
                    "line " + lineNumber + ": url '" + shorten(url) + "' is not supported, only " + CHAT_COMPLETIONS);
        }
        JsonNode body = node.get("body");
        if (body == null || !body.isObject()) {
            return new LineError(
                    lineNumber, customId, "invalid_body", "line " + lineNumber + ": body must be an object");
        }
        return request(lineNumber, customId, (ObjectNode) body, batchId, tenant);
    }

    private static Object request(int lineNumber, String customId, ObjectNode body, String batchId, String tenant) {
        List<ChatMessage> messages = new ArrayList<>();
        JsonNode list = body.get("messages");
        if (list == null || !list.isArray()) {
            return new LineError(
                    lineNumber, customId, "invalid_body", "line " + lineNumber + ": body.messages must be an array");
        }
        for (JsonNode m : list) {
            String content = text(m.get("content"));
            if (content == null) {
                return new LineError(
                        lineNumber,
                        customId,
                        "unsupported_content",
                        "line " + lineNumber + ": only text message content is supported");
            }
            messages.add(new ChatMessage(m.path("role").asText(""), content));
        }
        Integer maxTokens = null;
        JsonNode max = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt()) {
                return new LineError(
                        lineNumber, customId, "invalid_body", "line " + lineNumber + ": max_tokens must be an integer");
            }
            maxTokens = max.intValue();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(BATCH, batchId);
        metadata.put(CUSTOM_ID, customId);
        if (body.path("model").isTextual()) {
            metadata.put(REQUESTED_MODEL, shorten(body.get("model").asText()));
        }
        PromptRequest request =
                new PromptRequest(requestId(batchId, customId), tenant, messages, maxTokens, metadata, null, 0);
        // the same contract the router-stream enforces, so a line that passes here is never a dead letter there
        List<String> violations = PROMPT_SCHEMA.violations(Json.MAPPER.valueToTree(request));
        if (!violations.isEmpty()) {
            return new LineError(
                    lineNumber,
                    customId,
                    "invalid_body",
                    "line " + lineNumber + ": "
                            + String.join("; ", violations.subList(0, Math.min(3, violations.size()))));
        }
        return new BatchLine(lineNumber, customId, request, dedupKey(body));
    }

    /**
     * The request id of a line: the batch id and a hash of the custom_id, so it is unique across jobs, stable when a
     * job is replayed, and within the prompts topic's 200 characters whatever the custom_id.
     */
    public static String requestId(String batchId, String customId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(customId.getBytes(StandardCharsets.UTF_8));
            return batchId + "-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static final ObjectMapper CANONICAL =
            JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    static String dedupKey(ObjectNode body) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(body);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a request body", e);
        }
    }

    /** A string, or the text parts of an OpenAI content array joined by blank lines; null for anything else. */
    private static String text(JsonNode content) {
        if (content == null) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if (!part.path("type").asText("").equals("text")
                    || !part.path("text").isTextual()) {
                return null;
            }
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(part.get("text").asText());
        }
        return out.toString();
    }

    private static boolean isBlank(byte[] content) {
        for (byte c : content) {
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
