package io.kroute.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Checks, before a component starts its clients, that the cluster answers: a TCP connect to a bootstrap address, then
 * a metadata request with the component's own client settings (so a wrong security setting fails here too). Kafka's
 * clients would otherwise retry forever and log a warning per attempt; a user gets one line instead.
 */
public final class BrokerCheck {

    /** How long a component waits for its cluster at start unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private BrokerCheck() {}

    /**
     * Returns when the cluster behind {@code clientConfig}'s {@code bootstrap.servers} answers a metadata request;
     * throws {@link BrokerUnreachableException} naming the address when it does not within {@code timeout}.
     */
    public static void require(Map<String, ?> clientConfig, Duration timeout) {
        String bootstrap = String.valueOf(clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<InetSocketAddress> addresses = addresses(bootstrap);
        while (!anyAccepts(addresses, deadline)) {
            if (System.nanoTime() >= deadline) {
                throw unreachable(bootstrap, timeout, null);
            }
            sleep(Math.min(250, remainingMs(deadline)));
        }
        Map<String, Object> admin = new HashMap<>(clientConfig);
        int remaining = (int) Math.max(1_000, remainingMs(deadline));
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, remaining);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, remaining);
        try (Admin client = Admin.create(admin)) {
            client.describeCluster(new DescribeClusterOptions().timeoutMs(remaining))
                    .nodes()
                    .get(remaining, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(bootstrap, timeout, "interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw unreachable(bootstrap, timeout, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    private static BrokerUnreachableException unreachable(String bootstrap, Duration timeout, String why) {
        return new BrokerUnreachableException("cannot reach Kafka at " + bootstrap + " within " + timeout.toSeconds()
                + " s" + (why == null ? "" : " (" + why + ")"));
    }

    static List<InetSocketAddress> addresses(String bootstrap) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String entry : bootstrap.split(",")) {
            String hostPort = entry.trim();
            int colon = hostPort.lastIndexOf(':');
            if (hostPort.isEmpty() || colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("bootstrap.servers entry is not HOST:PORT: '" + hostPort + "'");
            }
            String host = hostPort.substring(0, colon);
            if (host.contains("//")) {
                host = host.substring(host.indexOf("//") + 2); // a listener name such as PLAINTEXT://
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bootstrap.servers port is not a number: '" + hostPort + "'", e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bootstrap.servers port out of range: '" + hostPort + "'");
            }
            addresses.add(InetSocketAddress.createUnresolved(host, port));
        }
        return addresses;
    }

    private static boolean anyAccepts(List<InetSocketAddress> addresses, long deadline) {
        for (InetSocketAddress address : addresses) {
            int timeoutMs = (int) Math.max(1, Math.min(2_000, remainingMs(deadline)));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), timeoutMs);
                return true;
            } catch (IOException e) {
                // try the next address, then again until the deadline
            }
        }
        return false;
    }

    private static long remainingMs(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
