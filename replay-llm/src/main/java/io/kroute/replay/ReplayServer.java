package io.kroute.replay;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible chat-completions server that answers with recorded outputs: RouteLLM's GPT-4 and Mixtral on
 * GSM8K and MMLU, and 16 models on Arena prompts (see {@link ReplayDataset}). Serves {@code POST /v1/chat/completions},
 * {@code GET /v1/models} (every model of the data) and {@code GET /health}.
 */
public final class ReplayServer extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayServer.class);
    private static final long BODY_LIMIT_BYTES = 4L * 1024 * 1024;

    private final ReplayDataset dataset;
    private final ReplayServerOptions options;
    private final FaultInjector faults;
    private volatile HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();

    public ReplayServer(ReplayDataset dataset, ReplayServerOptions options) {
        this.dataset = dataset;
        this.options = options;
        this.faults = new FaultInjector(options.faults());
    }

    /** Deploys a server on {@code vertx}; the future completes once it listens. */
    public static Future<ReplayServer> deploy(Vertx vertx, ReplayDataset dataset, ReplayServerOptions options) {
        ReplayServer server = new ReplayServer(dataset, options);
        return vertx.deployVerticle(server).map(id -> server);
    }

    @Override
    public Future<?> start() {
        // loading the tokenizer takes a second or two: not on the event loop, and not on the first request
        return vertx.executeBlocking(() -> {
                    TokenCounter tokens = new TokenCounter();
                    tokens.count("warm up the tokenizer");
                    return tokens;
                })
                .compose(this::listen);
    }

    private Future<HttpServer> listen(TokenCounter tokens) {
        ChatCompletions completions = new ChatCompletions(dataset, tokens, Clock.systemUTC());
        faults.delayErrors(vertx, options.latencyMs());
        Router router = Router.router(vertx);
        if (options.apiKey() != null) {
            router.route("/v1/*").handler(new ApiKeyHandler(options.apiKey()));
        }
        router.post("/v1/chat/completions")
                .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES))
                .handler(this::countConcurrency)
                .handler(faults)
                .handler(new ChatCompletionHandler(vertx, completions, options.latencyMs(), options.jitterMs()));
        router.get("/v1/models").handler(this::models);
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
        router.errorHandler(
                404,
                ctx -> sendError(
                        ctx,
                        new OpenAiError(
                                404,
                                "invalid_request_error",
                                "unknown_url",
                                "Unknown request URL: " + ctx.request().method() + " "
                                        + ctx.request().path() + ".")));
        router.errorHandler(
                405,
                ctx -> sendError(
                        ctx,
                        new OpenAiError(
                                405,
                                "invalid_request_error",
                                "method_not_allowed",
                                "Method not allowed: " + ctx.request().method() + " "
                                        + ctx.request().path() + ".")));
        router.errorHandler(413, ctx -> sendError(ctx, OpenAiError.invalidRequest(null, "Request body too large.")));

        return vertx.createHttpServer(
                        new HttpServerOptions().setHost(options.host()).setPort(options.port()))
                .requestHandler(router)
                .listen()
                .onSuccess(listening -> {
                    server = listening;
                    LOG.info("replay-llm listening on {}:{} ({})", options.host(), listening.actualPort(), options);
                });
    }

    /** The port actually bound; meaningful once the deployment has completed. */
    public int port() {
        HttpServer listening = server;
        if (listening == null) {
            throw new IllegalStateException("the replay server is not listening yet");
        }
        return listening.actualPort();
    }

    private void countConcurrency(RoutingContext ctx) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        ctx.addEndHandler(ar -> {
            inFlight.decrementAndGet();
            if (ar.succeeded() && ctx.response().getStatusCode() == 200) {
                answered.incrementAndGet();
            }
        });
        ctx.next();
    }

    /** Chat completions being served now (including held ones). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most chat completions served at once since the start, or since the last {@link #resetMaxInFlight()}. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public void resetMaxInFlight() {
        maxInFlight.set(inFlight.get());
    }

    /** Chat completions answered 200 so far. */
    public long answered() {
        return answered.get();
    }

    /** The fault injector in front of chat completions: switch outages on and off, read what was injected. */
    public FaultInjector faults() {
        return faults;
    }

    /** {@code http://host:port}, the base URL to give an OpenAI client (without {@code /v1}). */
    public String baseUrl() {
        String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
        return "http://" + host + ":" + port();
    }

    static void sendError(RoutingContext ctx, OpenAiError error) {
        if (!ctx.response().closed() && !ctx.response().ended()) {
            ctx.response()
                    .setStatusCode(error.status())
                    .putHeader("content-type", "application/json")
                    .end(error.toJson().encode());
        }
    }

    private void models(RoutingContext ctx) {
        JsonArray data = new JsonArray();
        for (String model : dataset.models()) {
            data.add(new JsonObject()
                    .put("id", model)
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "kroute-replay"));
        }
        ctx.json(new JsonObject().put("object", "list").put("data", data));
    }
}
