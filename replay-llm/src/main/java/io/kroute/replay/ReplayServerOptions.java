package io.kroute.replay;

/**
 * How a {@link ReplayServer} listens and behaves.
 *
 * @param host interface to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (read it back with {@link ReplayServer#port()})
 * @param latencyMs fixed delay before each chat completion is answered
 * @param jitterMs extra delay drawn uniformly from [0, jitterMs] per request
 * @param apiKey when not null, requests must carry {@code Authorization: Bearer <apiKey>}
 * @param faults failures to inject into chat completions; {@link FaultOptions#none()} for none
 */
public record ReplayServerOptions(
        String host, int port, long latencyMs, long jitterMs, String apiKey, FaultOptions faults) {

    public ReplayServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (latencyMs < 0 || jitterMs < 0) {
            throw new IllegalArgumentException("latency and jitter must be >= 0");
        }
        faults = faults == null ? FaultOptions.none() : faults;
    }

    /** Loopback, an ephemeral port, no latency, no API key. */
    public static ReplayServerOptions defaults() {
        return new ReplayServerOptions("127.0.0.1", 0, 0, 0, null, FaultOptions.none());
    }

    public ReplayServerOptions withPort(int port) {
        return new ReplayServerOptions(host, port, latencyMs, jitterMs, apiKey, faults);
    }

    public ReplayServerOptions withHost(String host) {
        return new ReplayServerOptions(host, port, latencyMs, jitterMs, apiKey, faults);
    }

    public ReplayServerOptions withLatency(long latencyMs, long jitterMs) {
        return new ReplayServerOptions(host, port, latencyMs, jitterMs, apiKey, faults);
    }

    public ReplayServerOptions withFaults(FaultOptions faults) {
        return new ReplayServerOptions(host, port, latencyMs, jitterMs, apiKey, faults);
    }

    public ReplayServerOptions withApiKey(String apiKey) {
        return new ReplayServerOptions(host, port, latencyMs, jitterMs, apiKey, faults);
    }

    @Override
    public String toString() {
        return "ReplayServerOptions[host=" + host + ", port=" + port + ", latencyMs=" + latencyMs + ", jitterMs="
                + jitterMs + ", apiKey=" + (apiKey == null ? "none" : "***") + ", faults=" + faults + "]";
    }
}
