package io.kroute.workers;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** Serves {@code GET /metrics} in the Prometheus text format from a small Vert.x HTTP server. */
public final class MetricsServer {

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code port} (0: any free port) on every interface. */
    public static Future<MetricsServer> start(Vertx vertx, PrometheusMeterRegistry registry, int port) {
        return vertx.createHttpServer()
                .requestHandler(request -> {
                    if (request.path().equals("/metrics")) {
                        // scraping walks every meter: off the event loop
                        vertx.executeBlocking(registry::scrape)
                                .onSuccess(text -> request.response()
                                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                                        .end(text))
                                .onFailure(e ->
                                        request.response().setStatusCode(500).end(e.toString()));
                    } else {
                        request.response().setStatusCode(404).end();
                    }
                })
                .listen(port)
                .map(MetricsServer::new);
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }
}
