package io.kroute.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults of {@code --chaos}, each when a share of the outcomes is in: a router-stream instance killed with SIGKILL
 * at 10%, a worker process at 30%, a broker at 50% (with three or more), each started again 5 s later. SIGKILL, not
 * SIGTERM: nothing is committed, closed or handed over, as when a machine dies. The router-stream instance is killed
 * only once it has routed something: on a loaded machine it can still be joining at 10%, and killing an instance that
 * holds no work tests nothing.
 */
final class ChaosSchedule implements AutoCloseable {

    /** What was done, and when (seconds from the start of the run). */
    record Event(double atSeconds, String action) {}

    /** One fault: the share of outcomes it waits for, what it does, and how it recovers. */
    private record Fault(
            double atShare, BooleanSupplier working, String action, Step kill, String recovered, Step restart) {}

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChaosSchedule.class);
    private static final Duration DOWN_FOR = Duration.ofSeconds(5);

    private final IntSupplier done;
    private final int total;
    private final long startNanos = System.nanoTime();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param cluster the cluster to kill a broker of, or null when the run uses an external one (then no broker dies)
     * @param done how many outcomes are in so far
     * @param routedBy how many prompts each router-stream instance has routed so far, by instance name
     */
    ChaosSchedule(
            ScaledPipeline pipeline,
            LocalKafkaCluster cluster,
            IntSupplier done,
            Supplier<Map<String, Long>> routedBy,
            int total) {
        this.done = done;
        this.total = total;
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault(
                0.10,
                () -> routedBy.get().getOrDefault(ScaledPipeline.routerName(0), 0L) > 0,
                "SIGKILL router-stream instance 1",
                () -> pipeline.killRouter(0),
                "router-stream instance 1 healthy again",
                () -> pipeline.restartRouter(0)));
        faults.add(new Fault(
                0.30,
                () -> true,
                "SIGKILL worker process 1",
                () -> pipeline.killWorker(0),
                "worker process 1 healthy again",
                () -> pipeline.restartWorker(0)));
        if (cluster != null && cluster.size() >= 3) {
            faults.add(new Fault(
                    0.50,
                    () -> true,
                    "SIGKILL broker 2",
                    () -> cluster.kill(2),
                    "broker 2 back in the cluster",
                    () -> cluster.startAgain(2, Duration.ofSeconds(120))));
        }
        // Each fault on its own thread: one instance's slow recovery does not push the next fault past the run's end.
        for (Fault fault : faults) {
            Thread thread = new Thread(() -> inject(fault), "chaos-" + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void inject(Fault fault) {
        try {
            awaitShare(fault.atShare(), fault.working());
            record(fault.action());
            fault.kill().run();
            Thread.sleep(DOWN_FOR.toMillis());
            fault.restart().run();
            record(fault.recovered());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("chaos: {} failed", fault.action(), e);
            record(fault.action() + " failed: " + e);
        }
    }

    private void awaitShare(double share, BooleanSupplier working) throws InterruptedException {
        while (!stopped && (done.getAsInt() < share * total || !working.getAsBoolean())) {
            Thread.sleep(50);
        }
        if (stopped) {
            throw new InterruptedException("run over");
        }
    }

    private void record(String action) {
        Event event = new Event((System.nanoTime() - startNanos) / 1e9, action);
        events.add(event);
        LOG.info("chaos at {} s: {}", String.format(Locale.ROOT, "%.1f", event.atSeconds()), action);
        System.err.printf(Locale.ROOT, "%n[demo] chaos at %.1f s: %s%n", event.atSeconds(), action);
    }

    List<Event> events() {
        return new ArrayList<>(events);
    }

    /** Stops scheduling faults; one in progress (an instance starting again) is waited for. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(180_000);
        }
    }
}
