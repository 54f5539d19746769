package io.kroute.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The batch gateway's HTTP API as the batch commands use it: JSON calls, one file upload, file downloads. Every way it
 * can fail becomes a {@link BatchFailure} with one line to show; none of them holds the API key.
 */
final class GatewayClient {

    /** A batch object or a list of 100 is a few hundred kilobytes; more means something else answers. */
    static final int MAX_JSON_BYTES = 4 * 1024 * 1024;

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Uploads and downloads move whole batch files, which can be hundreds of megabytes. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MESSAGE_CHARS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String apiKey;

    /**
     * @param base the gateway's URL without a trailing slash, e.g. {@code http://127.0.0.1:8090}
     * @param apiKey sent as a bearer token; null to send none
     */
    GatewayClient(URI base, String apiKey) {
        // HTTP/1.1: no h2c upgrade attempt; redirects not followed, as they would carry the key elsewhere
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.base = base.toString();
        this.apiKey = apiKey == null || apiKey.isEmpty() ? null : apiKey;
    }

    JsonNode get(String path) throws BatchFailure {
        return json(request(path, CALL_TIMEOUT).GET().build(), CALL_TIMEOUT);
    }

    JsonNode post(String path) throws BatchFailure {
        return json(
                request(path, CALL_TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                CALL_TIMEOUT);
    }

    JsonNode postJson(String path, JsonNode body) throws BatchFailure {
        HttpRequest request = request(path, CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return json(request, CALL_TIMEOUT);
    }

    /** Uploads the file with the fields as multipart/form-data and returns the JSON answer. */
    JsonNode upload(String path, Map<String, String> fields, String fileField, Path file) throws BatchFailure {
        MultipartBody body;
        try {
            body = MultipartBody.of(fields, fileField, file);
        } catch (FileNotFoundException e) {
            throw new BatchFailure("cannot read " + file);
        }
        HttpRequest request = request(path, TRANSFER_TIMEOUT)
                .header("Content-Type", body.contentType())
                .POST(body.publisher())
                .build();
        return json(request, TRANSFER_TIMEOUT);
    }

    /**
     * Streams the body to {@code target}: first to a temporary file beside it, moved into place when complete, so a
     * broken download never looks like a result. An error answer is read as JSON, bounded, for its message.
     */
    void download(String path, Path target) throws BatchFailure {
        Path partial;
        try {
            partial = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new BatchFailure("cannot write in " + target.toAbsolutePath().getParent() + ": " + reason(e));
        }
        try {
            BodyHandler<byte[]> toFile = info -> info.statusCode() / 100 == 2
                    ? BodySubscribers.mapping(BodySubscribers.ofFile(partial), written -> new byte[0])
                    : BoundedBody.handler(MAX_JSON_BYTES).apply(info);
            HttpResponse<byte[]> response =
                    send(request(path, TRANSFER_TIMEOUT).GET().build(), toFile, TRANSFER_TIMEOUT);
            if (response.statusCode() / 100 != 2) {
                throw httpError(response);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BatchFailure("cannot write " + target + ": " + reason(e));
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // a leftover .part file is untidy, not wrong
            }
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", "application/json");
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    private JsonNode json(HttpRequest request, Duration timeout) throws BatchFailure {
        HttpResponse<byte[]> response = send(request, BoundedBody.handler(MAX_JSON_BYTES), timeout);
        if (response.statusCode() / 100 != 2) {
            throw httpError(response);
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new BatchFailure("the gateway at " + base + " answered something that is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BatchFailure("the gateway at " + base + " answered something that is not JSON");
        }
    }

    /**
     * Sends and waits at most {@code timeout} for the whole exchange, body included: the request's own timeout only
     * covers the wait for the headers. Cancelling the future aborts the exchange.
     */
    private <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler, Duration timeout)
            throws BatchFailure {
        CompletableFuture<HttpResponse<T>> future = http.sendAsync(request, handler);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new BatchFailure("interrupted while waiting for the gateway at " + base);
        } catch (ExecutionException e) {
            throw failed(e.getCause(), timeout);
        }
    }

    private BatchFailure failed(Throwable cause, Duration timeout) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLargeException) {
                return new BatchFailure(t.getMessage() + " (from " + base + ")");
            }
            if (t instanceof HttpTimeoutException) {
                return timedOut(timeout);
            }
            if (t instanceof ConnectException) {
                return new BatchFailure(
                        "cannot connect to the gateway at " + base
                                + " (is it running? set --gateway or KROUTE_GATEWAY_URL)",
                        true);
            }
        }
        return new BatchFailure("lost the connection to the gateway at " + base + ": " + reason(cause), true);
    }

    private BatchFailure timedOut(Duration timeout) {
        return new BatchFailure(
                "the gateway at " + base + " did not answer within " + timeout.toSeconds() + " s", true);
    }

    /** {@code <status>: <message>} from OpenAI's error shape; the status alone when the body has no message. */
    private BatchFailure httpError(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String message = "no error message in the answer";
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            JsonNode text = error.isObject() ? error.path("message") : error;
            if (text.isTextual() && !text.asText().isBlank()) {
                message = text.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON (a proxy's HTML page): the status says enough
        }
        // 429 and 5xx are the gateway being busy or restarting; 4xx is the request's fault and stays so
        boolean retryable = status == 429 || status >= 500;
        return new BatchFailure(status + ": " + clean(message), retryable);
    }

    /** Text from the gateway, safe to print: one line, no control characters, bounded, and never the key. */
    private String clean(String text) {
        String redacted = apiKey == null ? text : text.replace(apiKey, "***");
        return OneLine.printable(OneLine.of(redacted), MESSAGE_CHARS);
    }

    private String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return clean(message);
    }
}
