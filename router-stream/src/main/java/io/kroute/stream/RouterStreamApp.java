package io.kroute.stream;

import io.kroute.schemas.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running router-stream: the topology in a {@link KafkaStreams} instance, with its lifecycle. */
public final class RouterStreamApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterStreamApp.class);

    private final KafkaStreams streams;
    private final RoutingPolicy policy;
    private final CountDownLatch running = new CountDownLatch(1);

    private RouterStreamApp(KafkaStreams streams, RoutingPolicy policy) {
        this.streams = streams;
        this.policy = policy;
    }

    /** Builds the topology and starts it; returns at once (see {@link #awaitRunning}). */
    public static RouterStreamApp start(Properties streamsProps, Topics topics, RoutingPolicy policy) {
        return start(streamsProps, topics, policy, RouterMetrics.noop());
    }

    /** As {@link #start(Properties, Topics, RoutingPolicy)}, counting into {@code metrics}, Kafka's own metrics too. */
    public static RouterStreamApp start(
            Properties streamsProps, Topics topics, RoutingPolicy policy, RouterMetrics metrics) {
        Properties props = RouterTopology.config(streamsProps);
        Topology topology = RouterTopology.build(new StreamsBuilder(), topics, policy, metrics);
        KafkaStreams streams = new KafkaStreams(topology, props);
        new KafkaStreamsMetrics(streams).bindTo(metrics.registry());
        RouterStreamApp app = new RouterStreamApp(streams, policy);
        streams.setStateListener((now, before) -> {
            LOG.info("router-stream {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        // A failed stream thread is replaced: bad records never get here (they are dead-lettered), so what does is
        // transient (a broker bounce, a fenced transaction) and a fresh thread resumes from the last commit.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed, replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        LOG.info(
                "starting router-stream: router {} {}, threshold {}{}, input {}",
                policy.router().info().kind(),
                policy.router().info().version(),
                policy.threshold(),
                policy.trafficCalibration() == null
                        ? ""
                        : " until calibrated on traffic " + policy.trafficCalibration(),
                topics.prompts().name());
        streams.start();
        return app;
    }

    /** Waits until every stream thread has its partitions and processes. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public RoutingPolicy policy() {
        return policy;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        policy.live().close();
    }
}
