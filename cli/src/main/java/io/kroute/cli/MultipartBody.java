package io.kroute.cli;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * A multipart/form-data body of text fields and one file, as {@code POST /v1/files} takes it. The file is streamed
 * from disk as the request is sent, never held in memory: a batch input can be hundreds of megabytes.
 */
final class MultipartBody {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    private final BodyPublisher publisher;

    private MultipartBody(String boundary, BodyPublisher publisher) {
        this.boundary = boundary;
        this.publisher = publisher;
    }

    /** The fields in the order given, then the file under {@code fileField}, named by its file name. */
    static MultipartBody of(Map<String, String> fields, String fileField, Path file) throws FileNotFoundException {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        // random, so no line of the file can be mistaken for it
        String boundary = "kroute-" + HexFormat.of().formatHex(random);
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(quoted(name))
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        head.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(quoted(fileField))
                .append("\"; filename=\"")
                .append(quoted(String.valueOf(file.getFileName())))
                .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        String tail = "\r\n--" + boundary + "--\r\n";
        BodyPublisher publisher = BodyPublishers.concat(
                BodyPublishers.ofByteArray(head.toString().getBytes(StandardCharsets.UTF_8)),
                BodyPublishers.ofFile(file),
                BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.US_ASCII)));
        return new MultipartBody(boundary, publisher);
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    BodyPublisher publisher() {
        return publisher;
    }

    /** As browsers do (the HTML standard's form encoding): a quote or line break cannot end the header early. */
    private static String quoted(String text) {
        return text.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }
}
