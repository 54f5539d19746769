package io.kroute.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How every client of a component reaches the cluster: {@code bootstrap.servers} and the settings that go with the
 * connection rather than with one client (security protocol, SASL, TLS, DNS lookup). A component's producers,
 * consumers, admin clients and Kafka Streams all start from the same connection, so a secured cluster is reachable by
 * each of them once it is reachable by one.
 *
 * @param properties {@code bootstrap.servers} and the connection settings, as Kafka client properties
 */
public record KafkaConnection(Map<String, String> properties) {

    private static final String BOOTSTRAP = "bootstrap.servers";

    public KafkaConnection {
        properties = Map.copyOf(new TreeMap<>(properties));
        String bootstrap = properties.get(BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP + " is required");
        }
    }

    /** A plaintext connection to {@code bootstrapServers}. */
    public static KafkaConnection to(String bootstrapServers) {
        return new KafkaConnection(Map.of(BOOTSTRAP, bootstrapServers == null ? "" : bootstrapServers.trim()));
    }

    /** The connection settings among a component's properties (other keys are left to the component). */
    public static KafkaConnection from(Properties props) {
        Map<String, String> picked = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (isConnectionSetting(name)) {
                picked.put(name, props.getProperty(name).trim());
            }
        }
        return new KafkaConnection(picked);
    }

    /**
     * A connection to {@code bootstrapServers} with the settings of a client properties file (Kafka's tools call it
     * {@code --command-config}); {@code file} may be null.
     */
    public static KafkaConnection withCommandConfig(String bootstrapServers, Path file) {
        Properties props = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read client config " + file + ": " + e.getMessage(), e);
            }
        }
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            props.setProperty(BOOTSTRAP, bootstrapServers.trim());
        }
        return from(props);
    }

    /** Whether a client property belongs to the connection (and so to every client of a component). */
    public static boolean isConnectionSetting(String name) {
        return name.equals(BOOTSTRAP)
                || name.equals("security.protocol")
                || name.equals("client.dns.lookup")
                || name.startsWith("sasl.")
                || name.startsWith("ssl.");
    }

    public String bootstrapServers() {
        return properties.get(BOOTSTRAP);
    }

    /** A mutable client config to add a client's own settings to. */
    public Map<String, Object> clientConfig() {
        return new HashMap<>(properties);
    }

    public KafkaConnection withBootstrapServers(String bootstrapServers) {
        Map<String, String> changed = new HashMap<>(properties);
        changed.put(BOOTSTRAP, bootstrapServers);
        return new KafkaConnection(changed);
    }

    /** Never prints secrets (SASL JAAS configs and key passwords): only the address and the protocol. */
    @Override
    public String toString() {
        return bootstrapServers() + " (" + properties.getOrDefault("security.protocol", "PLAINTEXT") + ")";
    }
}
