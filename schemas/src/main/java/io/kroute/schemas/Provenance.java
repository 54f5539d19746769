package io.kroute.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers kroute writes itself, naming the process that wrote a record, so an operator (and the scale-out
 * demo) can tell which router-stream instance routed a prompt and which worker answered it. A producer's own headers
 * are not carried downstream: only these.
 */
public final class Provenance {

    /** On routed prompts and the router-stream's dead letters: the router-stream instance ({@code kroute.instance-id}). */
    public static final String ROUTER_INSTANCE = "kroute-router-instance";

    /** On responses and the workers' dead letters: the worker process ({@code instance_id}). */
    public static final String WORKER_INSTANCE = "kroute-worker-instance";

    private Provenance() {}

    /** The value of a header as text, or null when the record does not have it. */
    public static String read(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static byte[] value(String instance) {
        return instance.getBytes(StandardCharsets.UTF_8);
    }
}
