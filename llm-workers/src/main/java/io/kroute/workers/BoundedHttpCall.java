package io.kroute.workers;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One HTTP exchange bounded in time and in size: the deadline covers the connection, the headers and the whole body
 * (a provider that sends its headers and then a byte a second is cut off at the deadline, not kept for minutes), and a
 * body over the size limit is refused as soon as it passes the limit, the connection reset rather than read to its
 * end. Redirects are never followed (a redirect would carry the request's {@code Authorization} header to wherever the
 * provider points).
 */
final class BoundedHttpCall {

    /** A complete response: status, headers and the whole body. */
    record Answer(int status, String statusMessage, MultiMap headers, Buffer body) {}

    /** The body passed the size limit; the status says what the provider meant. */
    static final class TooLarge extends RuntimeException {

        private final int status;

        TooLarge(int status, long maxBytes) {
            super("answer larger than " + maxBytes + " bytes (max_response_bytes); not read further");
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private BoundedHttpCall() {}

    /**
     * Sends {@code body} as {@code options} say; fails with a {@link TimeoutException} at the deadline, with
     * {@link TooLarge} past the size limit, or with the transport's error.
     */
    static Future<Answer> send(
            Vertx vertx, HttpClient client, RequestOptions options, Buffer body, long timeoutMs, long maxBytes) {
        Promise<Answer> answer = Promise.promise();
        // on one context from start to end: the response's handlers are then set before its first chunk is delivered
        vertx.getOrCreateContext()
                .runOnContext(start -> exchange(vertx, client, options, body, timeoutMs, maxBytes, answer));
        return answer.future();
    }

    private static void exchange(
            Vertx vertx,
            HttpClient client,
            RequestOptions options,
            Buffer body,
            long timeoutMs,
            long maxBytes,
            Promise<Answer> answer) {
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeoutMs, id -> {
            if (answer.tryFail(new TimeoutException("no complete answer within " + timeoutMs + " ms"))) {
                reset(sent.get());
            }
        });
        answer.future().onComplete(done -> vertx.cancelTimer(timer));
        client.request(options.setFollowRedirects(false).setConnectTimeout(timeoutMs))
                .compose(request -> {
                    sent.set(request);
                    if (answer.future().isComplete()) {
                        reset(request); // the deadline passed while connecting
                        return Future.failedFuture("abandoned");
                    }
                    return request.send(body);
                })
                .onSuccess(response -> read(response, maxBytes, answer))
                .onFailure(answer::tryFail);
    }

    private static void read(HttpClientResponse response, long maxBytes, Promise<Answer> answer) {
        response.exceptionHandler(answer::tryFail);
        String declared = response.getHeader("Content-Length");
        if (declared != null && declaredOver(declared, maxBytes)) {
            answer.tryFail(new TooLarge(response.statusCode(), maxBytes));
            reset(response.request());
            return;
        }
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (received.length() + (long) chunk.length() > maxBytes) {
                if (answer.tryFail(new TooLarge(response.statusCode(), maxBytes))) {
                    reset(response.request());
                }
                return;
            }
            received.appendBuffer(chunk);
        });
        response.endHandler(end -> answer.tryComplete(
                new Answer(response.statusCode(), response.statusMessage(), response.headers(), received)));
    }

    private static boolean declaredOver(String contentLength, long maxBytes) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false; // the body itself is counted as it arrives
        }
    }

    /** Drops the exchange: the connection is closed, so nothing more is read or kept from it. */
    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }
}
