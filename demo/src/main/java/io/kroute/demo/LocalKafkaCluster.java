package io.kroute.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft Kafka cluster of one or more nodes, each a child JVM from the Kafka jars on this JVM's class path
 * (broker and controller in one process, as KRaft's combined mode runs), listening on 127.0.0.1 only, with its data in
 * a temporary directory. No Docker, no download. With three nodes, internal topics are replicated three times with
 * {@code min.insync.replicas} 2, so one node can be killed and restarted while clients keep working.
 */
public final class LocalKafkaCluster implements AutoCloseable {

    /** Where nodes' ports are picked when none is asked for: below every system's range of outgoing ports. */
    private static final int LISTEN_FROM = 20_000;

    private static final int LISTEN_BELOW = 32_000;

    /** One node: its config file, its log, its address, and the process running it (replaced on restart). */
    private static final class Node {
        final int id;
        final Path config;
        final Path log;
        final int port;
        volatile Process process;

        Node(int id, Path config, Path log, int port) {
            this.id = id;
            this.config = config;
            this.log = log;
            this.port = port;
        }
    }

    private final Path dir;
    private final List<Node> nodes;
    private final String bootstrapServers;
    private final Thread reaper;

    private LocalKafkaCluster(Path dir, List<Node> nodes) {
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
        StringJoiner bootstrap = new StringJoiner(",");
        nodes.forEach(node -> bootstrap.add("127.0.0.1:" + node.port));
        this.bootstrapServers = bootstrap.toString();
        this.reaper = new Thread(
                () -> this.nodes.forEach(node -> {
                    if (node.process != null) {
                        node.process.destroyForcibly();
                    }
                }),
                "kafka-cluster-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** One node on a free port. */
    public static LocalKafkaCluster start(Duration timeout) throws IOException, InterruptedException {
        return start(1, 0, timeout);
    }

    /**
     * Formats the storage of {@code size} nodes, starts them and waits until the cluster answers a metadata request with
     * every node.
     *
     * @param firstPort the client port of node 1 (node i listens on {@code firstPort + i - 1}); 0 picks free ports
     * @throws IllegalArgumentException when a requested port is taken
     */
    public static LocalKafkaCluster start(int size, int firstPort, Duration timeout)
            throws IOException, InterruptedException {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
        }
        Path dir = Files.createTempDirectory("kroute-kafka-");
        List<Integer> ports = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < size; i++) {
            ports.add(firstPort == 0 ? freePort(picked) : requireFree(firstPort + i));
            controllerPorts.add(freePort(picked));
        }
        StringJoiner voters = new StringJoiner(",");
        for (int i = 0; i < size; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        String clusterId = Uuid.randomUuid().toString();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            Path config = dir.resolve("node-" + id + ".properties");
            try (Writer out = Files.newBufferedWriter(config)) {
                serverProperties(
                                id,
                                size,
                                dir.resolve("data-" + id),
                                ports.get(i),
                                controllerPorts.get(i),
                                voters.toString())
                        .store(out, "kroute local cluster, node " + id);
            }
            Node node =
                    new Node(id, config, dir.resolve(size == 1 ? "broker.log" : "node-" + id + ".log"), ports.get(i));
            run(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()), node.log)
                    .waitFor(60, TimeUnit.SECONDS);
            nodes.add(node);
        }
        LocalKafkaCluster cluster = new LocalKafkaCluster(dir, nodes);
        try {
            for (Node node : nodes) {
                node.process = run(List.of("kafka.Kafka", node.config.toString()), node.log);
            }
            cluster.awaitReady(timeout, size);
        } catch (IOException | RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static Properties serverProperties(
            int nodeId, int size, Path dataDir, int brokerPort, int controllerPort, String voters) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(nodeId));
        props.setProperty("controller.quorum.voters", voters);
        props.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dataDir.toString());
        // Internal topics replicated as widely as the cluster allows (three copies, two in sync, once there are three
        // nodes); on one node they must have a single replica or groups and transactions hang.
        String replicas = Integer.toString(Math.min(3, size));
        String inSync = Integer.toString(Math.min(2, size));
        props.setProperty("offsets.topic.replication.factor", replicas);
        props.setProperty("transaction.state.log.replication.factor", replicas);
        props.setProperty("transaction.state.log.min.isr", inSync);
        props.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        props.setProperty("share.coordinator.state.topic.min.isr", inSync);
        props.setProperty("default.replication.factor", replicas);
        props.setProperty("min.insync.replicas", inSync);
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("auto.create.topics.enable", "false");
        return props;
    }

    private static Process run(List<String> mainAndArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx1g");
        command.add(ChildJvm.classPathArgument(log.getParent(), "kafka"));
        command.add("-Dlogback.configurationFile=" + brokerLogConfig(log.getParent()));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** The nodes log to their own files at INFO, so the demo's terminal stays readable. */
    private static Path brokerLogConfig(Path dir) throws IOException {
        Path file = dir.resolve("broker-logback.xml");
        if (!Files.exists(file)) {
            Files.writeString(
                    file,
                    """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
        }
        return file;
    }

    private void awaitReady(Duration timeout, int expectedNodes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Node node : nodes) {
                if (node.process != null && !node.process.isAlive()) {
                    throw new IOException(
                            "Kafka node " + node.id + " exited with " + node.process.exitValue() + lastError(node.log));
                }
            }
            if (nodes.stream().anyMatch(node -> accepts(node.port))) {
                try (Admin admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= expectedNodes) {
                        return;
                    }
                } catch (Exception e) {
                    // not ready yet
                }
            }
            Thread.sleep(200);
        }
        throw new IOException("Kafka cluster not ready after " + timeout + "; see " + dir);
    }

    /** The node's last error line, so a failed start says why in one line (the log goes with the directory). */
    private static String lastError(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.contains("ERROR") || line.contains("Exception"))
                    .reduce((first, second) -> second)
                    .map(line -> ": " + line.strip())
                    .orElse("");
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A free port below the ports the system hands out for the local end of outgoing connections (Linux 32768–60999,
     * macOS and Windows 49152–65535). A node's port must stay free while the node is down, to start it again on it
     * ({@link #kill}, {@link #restart}); a port from that range can meanwhile become the local end of some outgoing
     * connection, even of a client reconnecting to the very node (TCP connects a socket to itself when the two ports
     * meet), and the node then fails with "Address already in use".
     */
    private static int freePort(Set<Integer> picked) throws IOException {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LISTEN_FROM, LISTEN_BELOW);
            if (!picked.contains(port) && isFree(port)) {
                picked.add(port);
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            picked.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " on 127.0.0.1 is in use (another broker?); choose"
                    + " another with --port, or 0 for any free port");
        }
    }

    /**
     * Stops every node (SIGTERM, so each shuts down cleanly; SIGKILL after 20 s) and starts them again on the same
     * ports with the same data, then waits until the cluster answers. Clients see it go away and come back.
     */
    public void restart(Duration timeout) throws IOException, InterruptedException {
        for (Node node : nodes) {
            stop(node);
        }
        for (Node node : nodes) {
            node.process = run(List.of("kafka.Kafka", node.config.toString()), node.log);
        }
        awaitReady(timeout, nodes.size());
    }

    /** SIGKILL to one node (1-based): no clean shutdown, as a crashed machine. */
    public void kill(int nodeId) throws InterruptedException {
        Node node = nodes.get(nodeId - 1);
        node.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts a node again (after {@link #kill}) with its data, and waits until the cluster has every node back. */
    public void startAgain(int nodeId, Duration timeout) throws IOException, InterruptedException {
        Node node = nodes.get(nodeId - 1);
        node.process = run(List.of("kafka.Kafka", node.config.toString()), node.log);
        awaitReady(timeout, nodes.size());
    }

    public int size() {
        return nodes.size();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Node 1's log (the only one of a single-node cluster). */
    public Path logFile() {
        return nodes.get(0).log;
    }

    /** Where every node keeps its config, data and log. */
    public Path directory() {
        return dir;
    }

    private static void stop(Node node) throws InterruptedException {
        if (node.process == null) {
            return;
        }
        node.process.destroy();
        if (!node.process.waitFor(20, TimeUnit.SECONDS)) {
            node.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        // All nodes at once: stopping them one by one makes the last ones wait for a quorum that is gone.
        nodes.forEach(node -> {
            if (node.process != null) {
                node.process.destroy();
            }
        });
        try {
            for (Node node : nodes) {
                stop(node);
            }
        } catch (InterruptedException e) {
            nodes.forEach(node -> node.process.destroyForcibly());
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
