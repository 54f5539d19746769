package io.kroute.cli;

import io.kroute.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every command that talks to Kafka shares: where the cluster is, how to log in, which topics. */
final class KafkaOptions {

    @Option(
            names = "--bootstrap-servers",
            required = true,
            paramLabel = "H:P",
            description = "Kafka brokers to connect to, e.g. 127.0.0.1:9092.")
    String bootstrapServers;

    @Option(
            names = "--topic-prefix",
            defaultValue = "",
            paramLabel = "P",
            description = "Prefix of the topic names: P gives Pllm-prompts. Default: none.")
    String topicPrefix;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private final Map<String, Object> commandConfig = new HashMap<>();

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "Properties file of extra client settings (security.protocol, sasl.*, ssl.*), "
                    + "as Kafka's own tools take.")
    void commandConfig(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(
                    command.commandLine(),
                    "cannot read --command-config " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        properties.stringPropertyNames().forEach(name -> commandConfig.put(name, properties.getProperty(name)));
    }

    @Option(
            names = "--connect-timeout-s",
            defaultValue = "10",
            paramLabel = "S",
            converter = PositiveInteger.class,
            description = "Give up when Kafka does not answer within S seconds. Default: ${DEFAULT-VALUE}.")
    int connectTimeoutS;

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /**
     * The user's extra settings with the command's own on top: the ones a command sets (bootstrap, acks, isolation)
     * are what its guarantees rest on, so a config file cannot weaken them.
     */
    Map<String, Object> clientConfig(Map<String, Object> commandSettings) {
        Map<String, Object> config = new HashMap<>(commandConfig);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.putAll(commandSettings);
        return config;
    }

    /** Why the command cannot start (Kafka unreachable, a topic missing), in one line; empty when it can. */
    Optional<String> preflight(List<String> topicNames) {
        return KafkaPreflight.problem(
                clientConfig(Map.of()), bootstrapServers, Duration.ofSeconds(connectTimeoutS), topicNames);
    }
}
