package io.kroute.retrain;

import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.BrokerUnreachableException;
import io.kroute.runtime.Usage;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ops/run rollback --bootstrap-servers H:P --to VERSION [--channel default] [--topic-prefix P]
 * [--command-config FILE]}: puts an earlier router version back in service on every router-stream following the
 * channel. {@code --command-config} is a client properties file (security settings), as Kafka's tools take it. It
 * needs no signing key: the version goes out with the signature it was published with.
 */
public final class RollbackMain {

    static final String USAGE = "usage: rollback --bootstrap-servers H:P --to VERSION [--channel C] [--topic-prefix P]"
            + " [--command-config FILE]";

    private RollbackMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("rollback: " + e.getMessage());
            System.exit(2);
            return;
        }
        Topics topics = Topics.withPrefix(options.getOrDefault("--topic-prefix", ""));
        String channel = options.getOrDefault("--channel", "default");
        KafkaConnection connection;
        try {
            String commandConfig = options.get("--command-config");
            connection = KafkaConnection.withCommandConfig(
                    options.get("--bootstrap-servers"), commandConfig == null ? null : Path.of(commandConfig));
            BrokerCheck.require(connection.clientConfig(), BrokerCheck.DEFAULT_TIMEOUT);
        } catch (IllegalArgumentException | BrokerUnreachableException e) {
            System.err.println("rollback: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (RouterPublisher publisher = new RouterPublisher(connection, topics)) {
            RouterModel model = publisher.rollback(channel, options.get("--to"), Duration.ofSeconds(60));
            System.out.println("channel " + channel + " now serves " + model.kind() + " " + model.version()
                    + (model.keyId() == null
                            ? ", unsigned: router-streams that trust a key (kroute.models.trusted-keys) refuse it"
                            : ", signed by key " + model.keyId()));
        } catch (IllegalArgumentException e) {
            System.err.println("rollback: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("rollback: failed: " + e);
            System.exit(1);
        }
    }

    static Map<String, String> parse(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap-servers", "--to", "--channel", "--topic-prefix", "--command-config" -> options.put(
                        args[i], args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        if (!options.containsKey("--bootstrap-servers") || !options.containsKey("--to")) {
            throw new IllegalArgumentException(USAGE);
        }
        return options;
    }
}
