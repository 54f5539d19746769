package io.kroute.retrain;

import io.kroute.router.ModelCard;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.BrokerUnreachableException;
import io.kroute.runtime.Usage;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.RouterModel;
import io.kroute.schemas.RouterModelSigner;
import io.kroute.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ops/run publish --bootstrap-servers H:P --dir DIR [--channel default] [--signing-key FILE] [--reason TEXT]
 * [--topic-prefix P] [--command-config FILE]}: puts a router trained elsewhere ({@code ops/router train}: a two-model
 * router, or a performance predictor for a many-model stream) in service on every router-stream following the
 * channel, without a restart. Kind and version come from the directory's model card. A router-stream that cannot
 * serve it (a predictor its models are not all in, a two-model router where it selects among many, a signature it
 * does not trust) dead-letters it and keeps the router it has.
 */
public final class PublishMain {

    static final String USAGE = "usage: publish --bootstrap-servers H:P --dir DIR [--channel C] [--signing-key FILE]"
            + " [--reason TEXT] [--topic-prefix P] [--command-config FILE]";

    private PublishMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        Map<String, String> options;
        KafkaConnection connection;
        RouterModel model;
        RouterModelSigner signer;
        try {
            options = parse(args);
            model = model(options);
            String key = options.get("--signing-key");
            signer = key == null ? null : RouterModelSigner.load(Path.of(key));
            String commandConfig = options.get("--command-config");
            connection = KafkaConnection.withCommandConfig(
                    options.get("--bootstrap-servers"), commandConfig == null ? null : Path.of(commandConfig));
            BrokerCheck.require(connection.clientConfig(), BrokerCheck.DEFAULT_TIMEOUT);
        } catch (IllegalArgumentException | BrokerUnreachableException e) {
            System.err.println("publish: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) { // an unreadable file of the directory or the key: still one line
            System.err.println("publish: " + e);
            System.exit(2);
            return;
        }
        Topics topics = Topics.withPrefix(options.getOrDefault("--topic-prefix", ""));
        try (RouterPublisher publisher = new RouterPublisher(connection, topics, signer)) {
            publisher.publish(model);
            System.out.println("channel " + model.channel() + " now serves " + model.kind() + " " + model.version()
                    + (signer == null
                            ? ", unsigned: router-streams that trust a key (kroute.models.trusted-keys) refuse it"
                            : ", signed"));
        } catch (Exception e) {
            System.err.println("publish: failed: " + e);
            System.exit(1);
        }
    }

    /** The directory as a record of the channel, inline when it fits one, else by its location. */
    static RouterModel model(Map<String, String> options) {
        Path dir = Path.of(options.get("--dir"));
        Path cardFile = dir.resolve(ModelCard.FILE);
        if (!Files.isRegularFile(cardFile)) {
            throw new IllegalArgumentException(
                    "--dir " + dir + " is not a router directory (no " + ModelCard.FILE + ")");
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(Files.readAllBytes(cardFile));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--dir " + dir + ": cannot read its " + ModelCard.FILE + ": " + e);
        }
        try {
            // bounded as every router-stream bounds what it unpacks: files, bytes per file and in all
            return RouterModel.of(
                    options.getOrDefault("--channel", "default"),
                    card.version(),
                    card.kind(),
                    dir,
                    System.currentTimeMillis(),
                    options.getOrDefault("--reason", "published from " + dir.toAbsolutePath()),
                    RouterModel.INLINE_LIMIT_BYTES);
        } catch (io.kroute.schemas.InvalidMessageException e) {
            throw new IllegalArgumentException("--dir " + dir + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap-servers",
                        "--dir",
                        "--channel",
                        "--signing-key",
                        "--reason",
                        "--topic-prefix",
                        "--command-config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
                    }
                    options.put(args[i], args[i + 1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        if (!options.containsKey("--bootstrap-servers") || !options.containsKey("--dir")) {
            throw new IllegalArgumentException(USAGE);
        }
        return options;
    }
}
