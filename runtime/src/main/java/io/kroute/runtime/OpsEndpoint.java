package io.kroute.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Every component's operations endpoint, from the JDK's HTTP server on a thread of its own (never a stream thread or
 * an event loop): {@code GET /metrics} in the Prometheus text format and {@code GET /health}, 200 with JSON when the
 * component is up, 503 with the same JSON when a part of it is not.
 */
public final class OpsEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on {@code host:port}; port 0 picks a free one (see {@link #port()}). */
    public static OpsEndpoint start(String host, int port, PrometheusMeterRegistry registry, Supplier<Health> health)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", exchange -> {
            if (allowed(exchange)) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        server.createContext("/health", exchange -> {
            if (allowed(exchange)) {
                Health now = health.get();
                send(exchange, now.up() ? 200 : 503, "application/json", now.toJson());
            }
        });
        server.createContext("/", exchange -> send(exchange, 404, "text/plain", "not found: try /metrics or /health"));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "ops-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new OpsEndpoint(server, executor);
    }

    private static boolean allowed(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        send(exchange, 405, "text/plain", "method not allowed");
        return false;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
