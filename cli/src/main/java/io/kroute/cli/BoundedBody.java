package io.kroute.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit: past it the download is cancelled, so a wrong URL that serves a
 * large file, or a broken gateway, cannot fill the heap. A declared Content-Length over the limit is refused before
 * any byte is read.
 */
final class BoundedBody implements BodySubscriber<byte[]> {

    /** The body was larger than the limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(int limit) {
            super("the gateway's answer is larger than "
                    + (limit >= 1 << 20 ? (limit >> 20) + " MiB" : limit + " bytes") + "; refused");
        }
    }

    private final int limit;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final boolean declaredTooLarge;
    private Flow.Subscription subscription;

    private BoundedBody(int limit, boolean declaredTooLarge) {
        this.limit = limit;
        this.declaredTooLarge = declaredTooLarge;
    }

    static BodyHandler<byte[]> handler(int limit) {
        return info -> new BoundedBody(
                limit, info.headers().firstValueAsLong("content-length").orElse(0) > limit);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredTooLarge) {
            refuse();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > limit) {
                refuse();
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    private void refuse() {
        subscription.cancel();
        body.completeExceptionally(new TooLargeException(limit));
    }
}
