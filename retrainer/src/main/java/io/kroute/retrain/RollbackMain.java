package io.kroute.retrain;

import io.kroute.schemas.RouterModel;
import io.kroute.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ops/run rollback --bootstrap-servers H:P --to VERSION [--channel default] [--topic-prefix P]}: puts an
 * earlier router version back in service on every router-stream following the channel.
 */
public final class RollbackMain {

    private RollbackMain() {}

    public static void main(String[] args) {
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
        try (RouterPublisher publisher = new RouterPublisher(options.get("--bootstrap-servers"), topics)) {
            RouterModel model = publisher.rollback(channel, options.get("--to"), Duration.ofSeconds(60));
            System.out.println("channel " + channel + " now serves " + model.kind() + " " + model.version());
        } catch (IllegalArgumentException e) {
            System.err.println("rollback: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("rollback: failed: " + e);
            System.exit(1);
        }
    }

    static Map<String, String> parse(String[] args) {
        String usage = "usage: rollback --bootstrap-servers H:P --to VERSION [--channel C] [--topic-prefix P]";
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(usage);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap-servers", "--to", "--channel", "--topic-prefix" -> options.put(args[i], args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + usage);
            }
        }
        if (!options.containsKey("--bootstrap-servers") || !options.containsKey("--to")) {
            throw new IllegalArgumentException(usage);
        }
        return options;
    }
}
