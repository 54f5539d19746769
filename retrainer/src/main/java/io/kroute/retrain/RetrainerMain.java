package io.kroute.retrain;

import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ops/run retrainer --config etc/retrainer.properties}: the feedback join and the retrainer, until SIGTERM.
 * Keys under {@code kroute.*} configure the loop; every other key goes to the feedback join's Kafka Streams.
 */
public final class RetrainerMain {

    private RetrainerMain() {}

    public static void main(String[] args) throws Exception {
        Properties props;
        RetrainerSettings settings;
        String bootstrap;
        String serving;
        try {
            props = load(args);
            bootstrap = required(props, "bootstrap.servers");
            serving = props.getProperty("kroute.retrainer.serving-router", "random")
                    .trim();
            RetrainerSettings d = RetrainerSettings.defaults(
                    props.getProperty("kroute.model.strong", "gpt-4-1106-preview")
                            .trim(),
                    props.getProperty("kroute.model.weak", "mistralai/Mixtral-8x7B-Instruct-v0.1")
                            .trim());
            settings = new RetrainerSettings(
                    props.getProperty("kroute.retrainer.kind", d.kind()).trim(),
                    d.strongModel(),
                    d.weakModel(),
                    number(props, "kroute.strong-share", d.strongShare()),
                    (int) number(props, "kroute.retrainer.min-new-labels", d.minNewLabels()),
                    (int) number(props, "kroute.retrainer.min-held-out", d.minHeldOut()),
                    (int) number(props, "kroute.retrainer.held-out-pct", d.holdoutPercent()),
                    props.getProperty("kroute.models.channel", d.channel()).trim(),
                    Path.of(props.getProperty(
                                    "kroute.retrainer.work-dir", d.workDir().toString())
                            .trim()),
                    Duration.ofHours((long) number(
                            props,
                            "kroute.retrainer.retention-hours",
                            d.retention().toHours())),
                    (long) number(props, "kroute.retrainer.seed", d.seed()),
                    props.getProperty("kroute.retrainer.hyperparameters", "").trim());
        } catch (IllegalArgumentException e) {
            System.err.println("retrainer: " + e.getMessage());
            System.exit(2);
            return;
        }
        Properties streams = new Properties();
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("kroute.")) {
                streams.setProperty(name, props.getProperty(name));
            }
        }
        Router servingRouter = RouterLoader.load(serving);
        String encoderSpec = CandidateEncoder.spec(props.getProperty(CandidateEncoder.PROPERTY), servingRouter);
        PromptEncoder encoder;
        try {
            encoder = CandidateEncoder.open(encoderSpec);
        } catch (IllegalArgumentException e) {
            System.err.println("retrainer: " + CandidateEncoder.PROPERTY + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        RetrainerApp app = RetrainerApp.start(
                bootstrap,
                Topics.withPrefix(props.getProperty("kroute.topic-prefix", "").trim()),
                streams,
                settings,
                encoder,
                servingRouter,
                List.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                app.close();
                                encoder.close();
                            } catch (Exception e) {
                                Thread.currentThread().interrupt();
                            }
                            stopped.countDown();
                        },
                        "retrainer-shutdown"));
        System.err.println("retrainer: learning from " + bootstrap + ", training " + settings.kind() + " on "
                + encoder.id() + ", publishing to channel " + settings.channel());
        stopped.await();
    }

    private static Properties load(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            throw new IllegalArgumentException("usage: retrainer --config <file.properties>");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]))) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + args[1] + ": " + e.getMessage(), e);
        }
        return props;
    }

    private static String required(Properties props, String key) {
        String value = props.getProperty(key, "").trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " is required");
        }
        return value;
    }

    private static double number(Properties props, String key, double fallback) {
        String value = props.getProperty(key, "").trim();
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
        }
    }
}
