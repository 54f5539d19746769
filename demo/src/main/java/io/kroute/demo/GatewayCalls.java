package io.kroute.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.schemas.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The calls the demo and the load command make to the batch gateway, over plain HTTP as any OpenAI client would:
 * upload, create, read, download.
 */
final class GatewayCalls {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String key;

    /** @param base the gateway's address, e.g. {@code http://127.0.0.1:8090} */
    GatewayCalls(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** Waits until {@code GET /health} answers 200. */
    void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (HTTP.send(
                                HttpRequest.newBuilder(URI.create(base + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != 200) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the batch gateway at " + base + " was not healthy within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** {@code POST /v1/files} with the file streamed from disk; the file's id. */
    String upload(Path file) throws IOException, InterruptedException {
        String boundary = "kroute-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                        + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + file.getFileName() + "\"\r\nContent-Type: application/jsonl\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return json(send(HttpRequest.newBuilder(URI.create(base + "/v1/files"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.concat(
                                HttpRequest.BodyPublishers.ofByteArray(head),
                                HttpRequest.BodyPublishers.ofFile(file),
                                HttpRequest.BodyPublishers.ofByteArray(tail)))))
                .path("id")
                .asText();
    }

    /** {@code POST /v1/batches}; the batch object. */
    JsonNode create(String fileId, String metadataJson) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(URI.create(base + "/v1/batches"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input_file_id\":\"" + fileId
                        + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\",\"metadata\":"
                        + metadataJson + "}"))));
    }

    /** {@code GET /v1/batches/{id}}. */
    JsonNode batch(String id) throws IOException, InterruptedException {
        return json(send(
                HttpRequest.newBuilder(URI.create(base + "/v1/batches/" + id)).GET()));
    }

    /** The lines of a file's content as JSON; none for a null id. */
    List<JsonNode> lines(String fileId) throws IOException, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        if (fileId == null || fileId.isEmpty() || fileId.equals("null")) {
            return out;
        }
        String body = send(HttpRequest.newBuilder(URI.create(base + "/v1/files/" + fileId + "/content"))
                        .GET())
                .body();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }

    /** {@code GET /v1/files/{id}/content} read and dropped: how many bytes it had. */
    long download(String fileId) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = HTTP.send(
                authorized(HttpRequest.newBuilder(URI.create(base + "/v1/files/" + fileId + "/content"))
                        .GET()),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("gateway answered " + response.statusCode() + " for " + fileId);
            }
            return body.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    static boolean finished(JsonNode batch) {
        String status = batch.path("status").asText();
        return status.equals("completed")
                || status.equals("failed")
                || status.equals("cancelled")
                || status.equals("expired");
    }

    static int done(JsonNode batch) {
        return batch.at("/request_counts/completed").asInt()
                + batch.at("/request_counts/failed").asInt();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(authorized(request), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the batch gateway answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private HttpRequest authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + key)
                .timeout(Duration.ofMinutes(5))
                .build();
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }
}
