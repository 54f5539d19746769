package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultInjectorTest {

    private static final ReplayDataset DATASET = ReplayDataset.loadBundled();

    private Vertx vertx;
    private WebClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void tearDown() throws Exception {
        await(vertx.close());
    }

    @Test
    void answers429WithRetryAfterLikeOpenAi() throws Exception {
        ReplayServer server = start(FaultOptions.none().withRateLimited(1.0, 7));

        HttpResponse<Buffer> response = post(server, 5_000);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.getHeader("Retry-After")).isEqualTo("7");
        assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
                .isEqualTo("rate_limit_exceeded");
        assertThat(server.faults().injected()).containsEntry(FaultInjector.Fault.RATE_LIMITED, 1L);
    }

    @Test
    void answers500And503() throws Exception {
        assertThat(post(start(FaultOptions.none().withServerError(1.0)), 5_000).statusCode())
                .isEqualTo(500);
        assertThat(post(start(FaultOptions.none().withUnavailable(1.0)), 5_000).statusCode())
                .isEqualTo(503);
    }

    @Test
    void holdsTimedOutRequestsUntilTheClientGivesUp() throws Exception {
        ReplayServer server = start(FaultOptions.none().withTimeout(1.0));

        Throwable thrown = catchThrowable(() -> post(server, 300));

        assertThat(thrown).hasStackTraceContaining("timeout");
    }

    @Test
    void dropsConnections() throws Exception {
        ReplayServer server = start(FaultOptions.none().withDropped(1.0));

        Throwable thrown = catchThrowable(() -> post(server, 5_000));

        assertThat(thrown).isNotNull();
        assertThat(server.faults().injected()).containsEntry(FaultInjector.Fault.DROPPED, 1L);
    }

    @Test
    void failsEverythingDuringAnOutage() throws Exception {
        ReplayServer server = start(FaultOptions.none());

        server.faults().outage(true);
        int during = post(server, 5_000).statusCode();
        server.faults().outage(false);
        int after = post(server, 5_000).statusCode();

        assertThat(during).isEqualTo(503);
        assertThat(after).isEqualTo(200);
    }

    @Test
    void followsAScriptedOutageTimedFromTheFirstRequest() throws Exception {
        ReplayServer server = start(FaultOptions.none().withOutage(new FaultOptions.Outage(300, 400)));

        int before = post(server, 5_000).statusCode();
        Thread.sleep(400);
        int during = post(server, 5_000).statusCode();
        Thread.sleep(500);
        int after = post(server, 5_000).statusCode();

        assertThat(List.of(before, during, after)).containsExactly(200, 503, 200);
        assertThat(server.faults().injected()).containsEntry(FaultInjector.Fault.OUTAGE, 1L);
        assertThat(server.answered()).isEqualTo(2);
        assertThat(server.maxInFlight()).isEqualTo(1);
    }

    @Test
    void picksTheSameFailingRequestsForTheSameSeed() throws Exception {
        FaultOptions half = FaultOptions.none().withServerError(0.5).withSeed(42);
        ReplayServer first = start(half);
        ReplayServer second = start(half);

        List<Integer> firstCodes = new ArrayList<>();
        List<Integer> secondCodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            firstCodes.add(post(first, 5_000).statusCode());
            secondCodes.add(post(second, 5_000).statusCode());
        }

        assertThat(firstCodes).isEqualTo(secondCodes).contains(200, 500);
    }

    private ReplayServer start(FaultOptions faults) throws Exception {
        return await(ReplayServer.deploy(
                vertx, DATASET, ReplayServerOptions.defaults().withFaults(faults)));
    }

    private HttpResponse<Buffer> post(ReplayServer server, long timeoutMs) throws Exception {
        JsonObject body = new JsonObject()
                .put("model", ReplayDataset.WEAK_MODEL)
                .put(
                        "messages",
                        new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
        return await(client.post(server.port(), "127.0.0.1", "/v1/chat/completions")
                .timeout(timeoutMs)
                .sendJsonObject(body));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
