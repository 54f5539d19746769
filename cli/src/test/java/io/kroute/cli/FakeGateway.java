package io.kroute.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the batch gateway in tests: the JDK's HTTP server on a free port, answers scripted by the test, requests
 * recorded. Errors come in OpenAI's shape, and a wrong key is echoed back in the 401 (as some servers do) so tests can
 * show the CLI never prints it.
 */
final class FakeGateway implements AutoCloseable {

    static final String KEY = "sk-test-4f1d9c2b7a-secret";
    static final String FILE_ID = "file-in1";

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile String uploadContentType;
    volatile byte[] uploadBody;
    volatile String createBody;

    /** What POST /v1/batches answers. */
    volatile String created;
    /** What GET /v1/batches answers. */
    volatile String list;
    /** What POST /v1/batches/{id}/cancel answers. */
    volatile String cancelled;
    /** Answers over 1 MiB are sent chunked unless this is set; then their Content-Length says their size up front. */
    volatile boolean declareLargeLengths;
    /** Polls of a batch answered 503 before the scripted states. */
    final AtomicInteger unavailable = new AtomicInteger();

    private final Map<String, Deque<String>> batches = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    private FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            } catch (IOException | RuntimeException e) {
                // a client that refused a large answer closes the connection: nothing to do
            }
        });
        server.start();
    }

    static FakeGateway start() throws IOException {
        return new FakeGateway();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** GET /v1/batches/{id} answers these in turn, the last one from then on. */
    void batch(String id, String... states) {
        batches.put(id, new ArrayDeque<>(List.of(states)));
    }

    void file(String id, String content) {
        files.put(id, content.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A batch object as the gateway writes it; {@code kroute} is the extension's JSON, or null to leave it out. */
    static String batchJson(
            String id,
            String status,
            int total,
            int completed,
            int failed,
            String outputFileId,
            String errorFileId,
            String kroute) {
        return "{\"id\":\"" + id + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\",\"errors\":null,"
                + "\"input_file_id\":\"" + FILE_ID + "\",\"completion_window\":\"24h\",\"status\":\"" + status + "\","
                + "\"output_file_id\":" + quotedOrNull(outputFileId) + ",\"error_file_id\":"
                + quotedOrNull(errorFileId) + ",\"created_at\":1700000000,\"in_progress_at\":null,"
                + "\"request_counts\":{\"total\":" + total + ",\"completed\":" + completed + ",\"failed\":" + failed
                + "},\"metadata\":{}" + (kroute == null ? "" : ",\"kroute\":" + kroute) + "}";
    }

    private static String quotedOrNull(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        calls.add(method + " " + exchange.getRequestURI());
        byte[] body = exchange.getRequestBody().readAllBytes();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (!("Bearer " + KEY).equals(auth)) {
            String given = auth == null ? "none" : auth.replaceFirst("^Bearer ", "");
            error(exchange, 401, "Incorrect API key provided: " + given, "invalid_api_key");
            return;
        }
        if (method.equals("POST") && path.equals("/v1/files")) {
            uploadContentType = exchange.getRequestHeaders().getFirst("Content-Type");
            uploadBody = body;
            send(
                    exchange,
                    200,
                    "{\"id\":\"" + FILE_ID + "\",\"object\":\"file\",\"bytes\":" + body.length
                            + ",\"created_at\":1700000000,\"filename\":\"in.jsonl\",\"purpose\":\"batch\","
                            + "\"status\":\"processed\"}");
        } else if (method.equals("POST") && path.equals("/v1/batches")) {
            createBody = new String(body, StandardCharsets.UTF_8);
            send(exchange, 200, created);
        } else if (method.equals("GET") && path.equals("/v1/batches")) {
            send(exchange, 200, list);
        } else if (method.equals("POST") && path.matches("/v1/batches/[^/]+/cancel")) {
            send(exchange, 200, cancelled);
        } else if (method.equals("GET") && path.matches("/v1/batches/[^/]+")) {
            String id = path.substring("/v1/batches/".length());
            Deque<String> states = batches.get(id);
            if (states == null) {
                error(exchange, 404, "No batch found with id '" + id + "'", "not_found");
            } else if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(exchange, 503, "the gateway is restarting", "unavailable");
            } else {
                send(exchange, 200, states.size() > 1 ? states.poll() : states.peek());
            }
        } else if (method.equals("GET") && path.matches("/v1/files/[^/]+/content")) {
            byte[] content = files.get(path.split("/")[3]);
            if (content == null) {
                error(exchange, 404, "No such File object", "not_found");
            } else {
                exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
                exchange.getResponseBody().write(content);
            }
        } else {
            error(exchange, 404, "no route " + method + " " + path, "not_found");
        }
    }

    private void error(HttpExchange exchange, int status, String message, String code) throws IOException {
        send(
                exchange,
                status,
                "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"" + code + "\"}}");
    }

    private void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // large answers go chunked, so the client meets them while reading rather than in Content-Length
        boolean chunked = bytes.length > 1024 * 1024 && !declareLargeLengths;
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
