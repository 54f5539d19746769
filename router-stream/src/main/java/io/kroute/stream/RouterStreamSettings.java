package io.kroute.stream;

import static io.kroute.runtime.PropertiesConfig.fraction;
import static io.kroute.runtime.PropertiesConfig.text;
import static io.kroute.runtime.PropertiesConfig.whole;

import io.kroute.router.Router;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.Topics;
import io.kroute.schemas.TrustedKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The router-stream's settings: the {@code kroute.*} keys of its properties file choose the router, the threshold,
 * the models and what else the process serves (the model channel, the ops endpoint); every other key goes to Kafka
 * Streams as it is. A {@code kroute.*} key this class does not know is an error, so a typo never silently falls back
 * to a default.
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
 * @param modelLocationRoot the only directory an artifact published by location may point into; null refuses
 *     artifacts by location
 * @param trustedKeys the public keys of the publishers whose artifacts are served; none: every artifact is served
 *     unauthenticated
 * @param metricsHost the address the ops endpoint listens on
 * @param metricsPort port of the ops endpoint ({@code GET /metrics}, {@code GET /health}); 0 picks a free one, -1
 *     turns it off
 * @param brokerTimeout how long the process waits at start for the cluster to answer before it gives up (exit 2)
 * @param instanceId names this process in the header of every record it writes; the host name when not set (a pod's
 *     name in Kubernetes)
 * @param batching how many prompts of a partition are scored in one call of the router
 * @param limits the largest prompt accepted, in bytes and tokens
 * @param dedupWindow how long a request id is remembered, so the same id sent again is dead-lettered; zero: none
 * @param streams the Kafka Streams properties
 * @param manyModels with {@code kroute.models} set: the models, their queues and prices, and the selector; then
 *     {@code kroute.router} names a performance predictor; null for the two-model router
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
        Path modelLocationRoot,
        TrustedKeys trustedKeys,
        String metricsHost,
        int metricsPort,
        Duration brokerTimeout,
        String instanceId,
        Batching batching,
        PromptLimits limits,
        Duration dedupWindow,
        Properties streams,
        ManyModelSettings manyModels) {

    public static final String ROUTER = "kroute.router";
    public static final String THRESHOLD = "kroute.threshold";
    public static final String STRONG_SHARE = "kroute.strong-share";
    public static final String CALIBRATION = "kroute.calibration";
    public static final String CALIBRATION_WINDOW = "kroute.calibration.window";
    public static final String CALIBRATION_WARMUP = "kroute.calibration.warmup";
    public static final String STRONG_MODEL = "kroute.model.strong";
    public static final String WEAK_MODEL = "kroute.model.weak";
    public static final String TOPIC_PREFIX = "kroute.topic-prefix";
    public static final String METRICS_HOST = "kroute.metrics.host";
    public static final String METRICS_PORT = "kroute.metrics.port";
    public static final String MODEL_CHANNEL = "kroute.models.channel";
    public static final String MODEL_DIR = "kroute.models.dir";
    public static final String MODEL_LOCATION_ROOT = "kroute.models.location-root";
    public static final String TRUSTED_KEYS = "kroute.models.trusted-keys";
    public static final String BROKER_TIMEOUT_MS = "kroute.broker.timeout-ms";
    public static final String INSTANCE_ID = "kroute.instance-id";
    public static final String BATCH_SIZE = "kroute.batch.size";
    public static final String BATCH_MAX_WAIT_MS = "kroute.batch.max-wait-ms";
    public static final String PROMPT_MAX_BYTES = "kroute.prompt.max-bytes";
    public static final String PROMPT_MAX_TOKENS = "kroute.prompt.max-tokens";
    public static final String DEDUP_WINDOW_MS = "kroute.dedup.window-ms";

    /** Every {@code kroute.*} key the router-stream reads. */
    public static final Set<String> KEYS = Set.of(
            ROUTER,
            THRESHOLD,
            STRONG_SHARE,
            CALIBRATION,
            CALIBRATION_WINDOW,
            CALIBRATION_WARMUP,
            STRONG_MODEL,
            WEAK_MODEL,
            TOPIC_PREFIX,
            METRICS_HOST,
            METRICS_PORT,
            MODEL_CHANNEL,
            MODEL_DIR,
            MODEL_LOCATION_ROOT,
            TRUSTED_KEYS,
            BROKER_TIMEOUT_MS,
            INSTANCE_ID,
            BATCH_SIZE,
            BATCH_MAX_WAIT_MS,
            PROMPT_MAX_BYTES,
            PROMPT_MAX_TOKENS,
            DEDUP_WINDOW_MS);

    /** A day: a producer's retry and a job submitted again the same day are answered once. */
    public static final long DEFAULT_DEDUP_WINDOW_MS = 24L * 3_600_000;

    public static final String DEFAULT_STRONG_MODEL = "gpt-4-1106-preview";
    public static final String DEFAULT_WEAK_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    public static RouterStreamSettings load(Path file) {
        return fromProperties(PropertiesConfig.read(file));
    }

    /** The file's settings with some keys replaced (a null value removes the key): what the demo, the load commands
     * and the tests change. */
    public static RouterStreamSettings withOverrides(Properties file, Map<String, String> overrides) {
        return fromProperties(PropertiesConfig.overridden(file, overrides));
    }

    public static RouterStreamSettings fromProperties(Properties given) {
        Properties props = PropertiesConfig.copy(given);
        ManyModelSettings manyModels = ManyModelSettings.take(props);
        java.util.Set<String> known = new java.util.HashSet<>(KEYS);
        known.addAll(ManyModelSettings.KEYS);
        Properties streams = PropertiesConfig.splitOff(props, "kroute.", known);
        boolean fixed = !text(props, THRESHOLD, "").isEmpty();
        double strongShare = fraction(props, STRONG_SHARE, 0.5);
        return new RouterStreamSettings(
                props.getProperty(ROUTER, "random").trim(),
                fixed ? fraction(props, THRESHOLD, Double.NaN) : null,
                strongShare,
                traffic(props, strongShare, fixed),
                props.getProperty(STRONG_MODEL, DEFAULT_STRONG_MODEL).trim(),
                props.getProperty(WEAK_MODEL, DEFAULT_WEAK_MODEL).trim(),
                props.getProperty(TOPIC_PREFIX, "").trim(),
                props.getProperty(MODEL_CHANNEL, "").trim(),
                Path.of(props.getProperty(MODEL_DIR, "target/router-models").trim()),
                text(props, MODEL_LOCATION_ROOT, "").isEmpty() ? null : Path.of(text(props, MODEL_LOCATION_ROOT, "")),
                trustedKeys(props),
                props.getProperty(METRICS_HOST, "0.0.0.0").trim(),
                (int) whole(props, METRICS_PORT, -1, -1, 65_535),
                Duration.ofMillis(whole(props, BROKER_TIMEOUT_MS, 10_000, 1, Integer.MAX_VALUE)),
                text(props, INSTANCE_ID, "").isEmpty() ? hostName() : text(props, INSTANCE_ID, ""),
                new Batching(
                        (int) whole(props, BATCH_SIZE, Batching.DEFAULT_SIZE, 1, 10_000),
                        Duration.ofMillis(whole(props, BATCH_MAX_WAIT_MS, Batching.DEFAULT_MAX_WAIT_MS, 1, 60_000))),
                new PromptLimits(
                        (int) whole(props, PROMPT_MAX_BYTES, PromptLimits.DEFAULT_MAX_BYTES, 1024, 64 * 1024 * 1024),
                        (int) whole(props, PROMPT_MAX_TOKENS, PromptLimits.DEFAULT_MAX_TOKENS, 1, 10_000_000)),
                Duration.ofMillis(whole(props, DEDUP_WINDOW_MS, DEFAULT_DEDUP_WINDOW_MS, 0, 366L * 24 * 3_600_000)),
                streams,
                manyModels);
    }

    public RouterStreamSettings {
        if (!(strongShare >= 0 && strongShare <= 1)) {
            throw new IllegalArgumentException(STRONG_SHARE + " must be in [0, 1], got " + strongShare);
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(THRESHOLD + " must be in [0, 1], got " + threshold);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(
                    METRICS_PORT + " must be -1 (off), 0 (any) or a port, got " + metricsPort);
        }
        if (strongModel.isBlank() || weakModel.isBlank()) {
            throw new IllegalArgumentException(STRONG_MODEL + " and " + WEAK_MODEL + " must not be empty");
        }
        if (routerReference.isBlank()) {
            throw new IllegalArgumentException(ROUTER + " must not be empty");
        }
        streams = PropertiesConfig.copy(streams);
        if (manyModels != null) {
            // these decide between two tiers; with many models the selector decides (a channel, if followed, serves
            // predictors)
            if (traffic != null) {
                throw new IllegalArgumentException(
                        CALIBRATION + "=traffic is for the two-model router, not with " + ManyModelSettings.MODELS);
            }
            if (threshold != null) {
                throw new IllegalArgumentException(THRESHOLD + " is for the two-model router; with "
                        + ManyModelSettings.MODELS + " set " + ManyModelSettings.SELECTOR + " and its value");
            }
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
                int window = (int) whole(props, CALIBRATION_WINDOW, TrafficCalibration.DEFAULT_WINDOW, 1, 1_000_000);
                int warmup = (int) whole(props, CALIBRATION_WARMUP, TrafficCalibration.DEFAULT_WARMUP, 1, 1_000_000);
                try {
                    return new TrafficCalibration(strongShare, window, warmup);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(CALIBRATION + ": " + e.getMessage(), e);
                }
            default:
                throw new IllegalArgumentException(CALIBRATION + " must be 'card' or 'traffic', got '" + mode + "'");
        }
    }

    /** The policy over many models, with the predictor {@code kroute.router} names. */
    public RoutingPolicy manyModelPolicy(io.kroute.router.multi.QualityPredictor predictor) {
        return RoutingPolicy.manyModels(ModelSelection.of(predictor, manyModels), Clock.systemUTC());
    }

    /** The keys of the comma-separated public key files, read at start so that a bad file stops the process. */
    private static TrustedKeys trustedKeys(Properties props) {
        try {
            return TrustedKeys.load(Arrays.stream(text(props, TRUSTED_KEYS, "").split(","))
                    .map(String::trim)
                    .filter(file -> !file.isEmpty())
                    .map(Path::of)
                    .toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TRUSTED_KEYS + ": " + e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "router";
        }
    }

    /** What the routing processor needs beside the policy. */
    public RoutingOptions routingOptions() {
        return new RoutingOptions(instanceId, batching, limits, dedupWindow);
    }

    public Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /** How every client of the process reaches the cluster: the streams' bootstrap and security settings. */
    public KafkaConnection connection() {
        Properties withDefault = PropertiesConfig.copy(streams);
        withDefault.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
        return KafkaConnection.from(withDefault);
    }

    /**
     * The policy for a loaded router: the configured threshold, or the one that gives the configured share (from the
     * router's calibration, or from recent traffic once warmed up).
     */
    public RoutingPolicy policy(Router router) {
        if (manyModels != null) {
            throw new IllegalStateException("a many-model deployment routes with a predictor: see manyModelPolicy");
        }
        LiveRouter.ThresholdRule rule = threshold != null
                ? LiveRouter.ThresholdRule.fixed(threshold)
                : LiveRouter.ThresholdRule.share(strongShare);
        RoutingPolicy policy =
                new RoutingPolicy(new LiveRouter(router, rule), strongModel, weakModel, Clock.systemUTC());
        return traffic == null ? policy : policy.calibratedOnTraffic(traffic);
    }
}
