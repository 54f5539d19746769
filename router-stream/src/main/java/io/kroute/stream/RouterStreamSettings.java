package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

/**
 * The router-stream's settings: the {@code kroute.*} keys of its properties file choose the router, the threshold and
 * the models; every other key goes to Kafka Streams as it is.
 *
 * @param routerReference what {@link io.kroute.router.RouterLoader} loads, e.g. {@code random} or a router directory
 * @param threshold the score threshold; when null, {@code strongShare} sets it from the router's calibration
 * @param strongShare the target share of strong calls, used when no threshold is given
 * @param traffic when not null, the threshold for {@code strongShare} comes from each task's recent scores instead of
 *     the router's calibration card ({@code kroute.calibration=traffic})
 * @param strongModel the model name written into decisions for the strong tier
 * @param weakModel the model name written into decisions for the weak tier
 * @param topicPrefix prefix of every topic name
 * @param modelChannel the channel of the {@code router-models} topic to follow (empty: serve the configured router
 *     only); a new version on the channel replaces the router without a restart
 * @param modelDir where router artifacts from the topic are unpacked
 * @param metricsPort port of the Prometheus endpoint ({@code GET /metrics}); 0 picks a free one, -1 turns it off
 * @param streams the Kafka Streams properties
 */
public record RouterStreamSettings(
        String routerReference,
        Double threshold,
        double strongShare,
        TrafficCalibration traffic,
        String strongModel,
        String weakModel,
        String topicPrefix,
        String modelChannel,
        Path modelDir,
        int metricsPort,
        Properties streams) {

    public static final String ROUTER = "kroute.router";
    public static final String THRESHOLD = "kroute.threshold";
    public static final String STRONG_SHARE = "kroute.strong-share";
    public static final String CALIBRATION = "kroute.calibration";
    public static final String CALIBRATION_WINDOW = "kroute.calibration.window";
    public static final String CALIBRATION_WARMUP = "kroute.calibration.warmup";
    public static final String STRONG_MODEL = "kroute.model.strong";
    public static final String WEAK_MODEL = "kroute.model.weak";
    public static final String TOPIC_PREFIX = "kroute.topic-prefix";
    public static final String METRICS_PORT = "kroute.metrics.port";
    public static final String MODEL_CHANNEL = "kroute.models.channel";
    public static final String MODEL_DIR = "kroute.models.dir";

    public static final String DEFAULT_STRONG_MODEL = "gpt-4-1106-preview";
    public static final String DEFAULT_WEAK_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    public static RouterStreamSettings load(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        return fromProperties(props);
    }

    public static RouterStreamSettings fromProperties(Properties props) {
        Properties streams = new Properties();
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith("kroute.")) {
                streams.setProperty(name, props.getProperty(name));
            }
        }
        String threshold = props.getProperty(THRESHOLD, "").trim();
        double strongShare =
                parse(STRONG_SHARE, props.getProperty(STRONG_SHARE, "0.5").trim());
        return new RouterStreamSettings(
                props.getProperty(ROUTER, "random").trim(),
                threshold.isEmpty() ? null : parse(THRESHOLD, threshold),
                strongShare,
                traffic(props, strongShare, !threshold.isEmpty()),
                props.getProperty(STRONG_MODEL, DEFAULT_STRONG_MODEL).trim(),
                props.getProperty(WEAK_MODEL, DEFAULT_WEAK_MODEL).trim(),
                props.getProperty(TOPIC_PREFIX, "").trim(),
                props.getProperty(MODEL_CHANNEL, "").trim(),
                Path.of(props.getProperty(MODEL_DIR, "target/router-models").trim()),
                (int) parse(METRICS_PORT, props.getProperty(METRICS_PORT, "-1").trim()),
                streams);
    }

    public RouterStreamSettings {
        if (strongShare < 0 || strongShare > 1) {
            throw new IllegalArgumentException(STRONG_SHARE + " must be in [0, 1], got " + strongShare);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(
                    METRICS_PORT + " must be -1 (off), 0 (any) or a port, got " + metricsPort);
        }
        if (strongModel.isBlank() || weakModel.isBlank()) {
            throw new IllegalArgumentException(STRONG_MODEL + " and " + WEAK_MODEL + " must not be empty");
        }
    }

    private static TrafficCalibration traffic(Properties props, double strongShare, boolean fixedThreshold) {
        String mode = props.getProperty(CALIBRATION, "card").trim();
        switch (mode) {
            case "card":
                return null;
            case "traffic":
                if (fixedThreshold) {
                    throw new IllegalArgumentException(
                            CALIBRATION + "=traffic sets the threshold from " + STRONG_SHARE + "; remove " + THRESHOLD);
                }
                if (!(strongShare >= 0 && strongShare <= 1)) {
                    return null; // the record's own check names the key
                }
                int window = integer(CALIBRATION_WINDOW, props, TrafficCalibration.DEFAULT_WINDOW);
                int warmup = integer(CALIBRATION_WARMUP, props, TrafficCalibration.DEFAULT_WARMUP);
                try {
                    return new TrafficCalibration(strongShare, window, warmup);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(CALIBRATION + ": " + e.getMessage(), e);
                }
            default:
                throw new IllegalArgumentException(CALIBRATION + " must be 'card' or 'traffic', got '" + mode + "'");
        }
    }

    private static int integer(String key, Properties props, int fallback) {
        String value = props.getProperty(key, Integer.toString(fallback)).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a whole number: '" + value + "'", e);
        }
    }

    public Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /**
     * The policy for a loaded router: the configured threshold, or the one that gives the configured share (from the
     * router's calibration, or from recent traffic once warmed up).
     */
    public RoutingPolicy policy(Router router) {
        LiveRouter.ThresholdRule rule = threshold != null
                ? LiveRouter.ThresholdRule.fixed(threshold)
                : LiveRouter.ThresholdRule.share(strongShare);
        RoutingPolicy policy =
                new RoutingPolicy(new LiveRouter(router, rule), strongModel, weakModel, Clock.systemUTC());
        return traffic == null ? policy : policy.calibratedOnTraffic(traffic);
    }

    private static double parse(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
        }
    }
}
