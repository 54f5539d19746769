package io.kroute.batch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.batch.BatchService;
import io.kroute.batch.format.OpenAiBatchFormat;
import io.kroute.batch.http.ApiKeys.Caller;
import io.kroute.batch.ledger.JobState;
import io.kroute.runtime.Health;
import io.kroute.schemas.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI Files and Batches API over HTTP (the part batch clients use: upload, create, retrieve, list, cancel,
 * download), plus {@code GET /health}. Every call needs a bearer token; a caller sees only what it created. Refusals
 * are in OpenAI's error shape. The work is blocking (Kafka, the stores) and runs on worker threads.
 */
public final class BatchApi {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApi.class);

    /** A JSON request body is small (a batch creation); anything bigger is refused before it is read whole. */
    static final long MAX_JSON_BODY = 64 * 1024;

    private static final java.time.Duration RESTORE_WAIT = java.time.Duration.ofSeconds(20);

    private final Vertx vertx;
    private final BatchService service;
    private final ApiKeys keys;
    private final long maxUploadBytes;
    private final Path uploads;
    private final Supplier<Health> health;
    private final Supplier<String> metrics;

    /** @param metrics the Prometheus text of the gateway's meters, for {@code GET /metrics} */
    public BatchApi(
            Vertx vertx,
            BatchService service,
            ApiKeys keys,
            long maxFileBytes,
            Path uploads,
            Supplier<Health> health,
            Supplier<String> metrics) {
        this.vertx = vertx;
        this.service = service;
        this.keys = keys;
        // the multipart framing around the file: a file at the limit must not be refused for its envelope
        this.maxUploadBytes = maxFileBytes + 64 * 1024;
        this.uploads = uploads;
        this.health = health;
        this.metrics = metrics;
    }

    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer().requestHandler(router()).listen(port, host);
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> {
            Health h = health.get();
            ctx.response()
                    .setStatusCode(h.up() ? 200 : 503)
                    .putHeader("content-type", "application/json")
                    .end(h.toJson());
        });
        // like /health, unauthenticated: meant for a scraper on a trusted network (they name no job and no content)
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4")
                .end(metrics.get()));
        router.route("/v1/*").handler(this::authenticate);
        router.post("/v1/files")
                .handler(BodyHandler.create(uploads.toString())
                        .setBodyLimit(maxUploadBytes)
                        .setDeleteUploadedFilesOnEnd(true))
                .handler(this::upload);
        router.get("/v1/files/:id")
                .handler(ctx -> respond(ctx, () -> service.file(caller(ctx), ctx.pathParam("id"))
                        .toOpenAi()));
        router.get("/v1/files/:id/content").handler(this::content);
        router.post("/v1/batches")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_JSON_BODY))
                .handler(this::create);
        router.get("/v1/batches").handler(this::list);
        router.get("/v1/batches/:id")
                .handler(ctx -> respond(
                        ctx, () -> service.job(caller(ctx), ctx.pathParam("id")).toOpenAi()));
        router.post("/v1/batches/:id/cancel")
                .handler(ctx -> respond(ctx, () -> service.cancel(caller(ctx), ctx.pathParam("id"))
                        .toOpenAi()));
        router.route()
                .last()
                .handler(ctx -> error(
                        ctx,
                        new ApiException(
                                404,
                                "invalid_request_error",
                                "unknown_url",
                                null,
                                "Unrecognized request URL (" + ctx.request().method() + ": "
                                        + ctx.request().path() + ")")));
        router.route().failureHandler(this::failed);
        return router;
    }

    private void authenticate(RoutingContext ctx) {
        Caller caller = keys.authenticate(ctx.request().getHeader("authorization"));
        if (caller == null) {
            // the header is never echoed: it may be a real key sent to the wrong place
            error(
                    ctx,
                    new ApiException(
                            401,
                            "invalid_request_error",
                            "invalid_api_key",
                            null,
                            "Incorrect API key provided. Send one of the gateway's keys as 'Authorization: Bearer <key>'."));
            return;
        }
        ctx.put("caller", caller);
        ctx.next();
    }

    private void upload(RoutingContext ctx) {
        List<FileUpload> files = ctx.fileUploads();
        if (files.size() != 1 || !"file".equals(files.get(0).name())) {
            error(ctx, ApiException.badRequest("file", "send one multipart part named 'file'"));
            return;
        }
        FileUpload file = files.get(0);
        String purpose = ctx.request().getFormAttribute("purpose");
        respond(ctx, () -> service.upload(caller(ctx), file.fileName(), purpose, Path.of(file.uploadedFileName()))
                .toOpenAi());
    }

    private void create(RoutingContext ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body().asString());
        } catch (IOException | RuntimeException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            error(ctx, ApiException.badRequest(null, "the body must be a JSON object"));
            return;
        }
        JsonNode meta = body.path("metadata");
        if (!meta.isMissingNode() && !meta.isNull() && !meta.isObject()) {
            error(ctx, ApiException.badRequest("metadata", "metadata must be an object of strings"));
            return;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> pair : meta.properties()) {
            if (!pair.getValue().isTextual()) {
                error(ctx, ApiException.badRequest("metadata", "metadata." + pair.getKey() + " must be a string"));
                return;
            }
            metadata.put(pair.getKey(), pair.getValue().asText());
        }
        JsonNode request = body;
        respond(ctx, () -> service.create(
                        caller(ctx),
                        request.path("input_file_id").asText(null),
                        request.path("endpoint").asText(null),
                        request.path("completion_window").asText(null),
                        metadata)
                .toOpenAi());
    }

    private void list(RoutingContext ctx) {
        int limit;
        try {
            String given = ctx.request().getParam("limit");
            limit = given == null ? 20 : Integer.parseInt(given);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 100) {
            error(ctx, ApiException.badRequest("limit", "limit must be a whole number from 1 to 100"));
            return;
        }
        int page = limit;
        String after = ctx.request().getParam("after");
        respond(ctx, () -> {
            List<JobState> jobs = service.list(caller(ctx), after, page);
            boolean more = jobs.size() > page;
            List<JobState> shown = more ? jobs.subList(0, page) : jobs;
            ObjectNode list = Json.MAPPER.createObjectNode();
            list.put("object", "list");
            ArrayNode data = list.putArray("data");
            shown.forEach(s -> data.add(s.toOpenAi()));
            if (shown.isEmpty()) {
                list.putNull("first_id");
                list.putNull("last_id");
            } else {
                list.put("first_id", shown.get(0).job().id());
                list.put("last_id", shown.get(shown.size() - 1).job().id());
            }
            list.put("has_more", more);
            return list;
        });
    }

    /** A file's content, written to a temporary file first and sent from there: a large output is never in memory. */
    private void content(RoutingContext ctx) {
        Caller caller = caller(ctx);
        String id = ctx.pathParam("id");
        vertx.executeBlocking(
                        () -> {
                            Path out = Files.createTempFile(uploads, "content-", ".jsonl");
                            try (OutputStream stream = Files.newOutputStream(out)) {
                                service.content(caller, id, stream);
                            } catch (RuntimeException | IOException e) {
                                Files.deleteIfExists(out);
                                throw e;
                            }
                            return out;
                        },
                        false)
                .onSuccess(path -> ctx.response()
                        .putHeader("content-type", "application/octet-stream")
                        .sendFile(path.toString())
                        .onComplete(done -> vertx.fileSystem().delete(path.toString())))
                .onFailure(e -> error(ctx, e));
    }

    private void respond(RoutingContext ctx, Callable<ObjectNode> work) {
        vertx.executeBlocking(() -> whileRestoring(work), false)
                .onSuccess(body -> ctx.response()
                        .putHeader("content-type", "application/json")
                        .end(Buffer.buffer(body.toString())))
                .onFailure(e -> error(ctx, e));
    }

    /**
     * Runs a call again while the ledger's stores restore or move between tasks (after a restart, in a rebalance), up
     * to {@link #RESTORE_WAIT}: the caller waits a little instead of seeing a 503. Safe to repeat: a call reads the
     * stores before it writes, and what it wrote in an aborted transaction is gone.
     */
    private static <T> T whileRestoring(Callable<T> work) throws Exception {
        long deadline = System.nanoTime() + RESTORE_WAIT.toNanos();
        while (true) {
            try {
                return work.call();
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            error(ctx, ApiException.badRequest("file", "the request is over " + maxUploadBytes + " bytes"));
            return;
        }
        error(
                ctx,
                ctx.failure() == null
                        ? new ApiException(ctx.statusCode(), "invalid_request_error", null, null, "request failed")
                        : ctx.failure());
    }

    private static void error(RoutingContext ctx, Throwable e) {
        ApiException api = e instanceof ApiException a ? a : null;
        if (e instanceof InvalidStateStoreException) {
            // a store restoring or moving to another task: the client's retry finds it
            api = ApiException.unavailable(
                    "the gateway is restoring its state; try again in a moment (" + e.getMessage() + ")");
        }
        if (api == null) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
            api = new ApiException(
                    500,
                    "server_error",
                    null,
                    null,
                    "internal error: " + e.getClass().getSimpleName());
        }
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(api.status())
                .putHeader("content-type", "application/json")
                .end(OpenAiBatchFormat.apiError(api.type(), api.code(), api.param(), api.getMessage())
                        .toString());
    }

    private static Caller caller(RoutingContext ctx) {
        return ctx.get("caller");
    }
}
