package io.kroute.retrain;

import static io.kroute.runtime.PropertiesConfig.fraction;
import static io.kroute.runtime.PropertiesConfig.text;
import static io.kroute.runtime.PropertiesConfig.whole;

import io.kroute.runtime.PropertiesConfig;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.RouterModelSigner;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Everything the retrainer process runs with, read from its properties file ({@code etc/retrainer.properties}): keys
 * under {@code kroute.*} configure the learning loop, the judge labeller and the ops endpoint; every other key goes to
 * the feedback join's Kafka Streams (and its connection settings to every client). An unknown {@code kroute.*} key is
 * an error.
 *
 * @param connection how every client reaches the cluster
 * @param topics the topic registry (with the configured prefix)
 * @param joinStreams the feedback join's Kafka Streams properties
 * @param settings how the retrainer learns and decides
 * @param servingRouter the router in service when the retrainer starts (what candidates are compared with)
 * @param encoderSpec the encoder candidates are trained on; blank for the serving router's own
 * @param judge judge labelling, or null when {@code kroute.judge.share} is 0
 * @param metricsHost the address of the ops endpoint
 * @param metricsPort the port of the ops endpoint ({@code /metrics}, {@code /health}); 0 any, -1 off
 * @param brokerTimeout how long the process waits at start for the cluster to answer
 * @param signer signs every router published, from the private key file {@code kroute.models.signing-key}; null when
 *     not set (router-streams that trust a key then refuse what is published)
 * @param prices with {@code kroute.retrainer.kind=quality-ridge}, the price table candidates' selections are costed
 *     with ({@code arena-2023}, the shipped one, or a JSON file)
 */
public record RetrainerConfig(
        KafkaConnection connection,
        Topics topics,
        Properties joinStreams,
        RetrainerSettings settings,
        String servingRouter,
        String encoderSpec,
        JudgeLabeler.Settings judge,
        String metricsHost,
        int metricsPort,
        Duration brokerTimeout,
        RouterModelSigner signer,
        String prices) {

    static final String KIND = "kroute.retrainer.kind";
    static final String HYPERPARAMETERS = "kroute.retrainer.hyperparameters";
    static final String MIN_NEW_LABELS = "kroute.retrainer.min-new-labels";
    static final String MIN_HELD_OUT = "kroute.retrainer.min-held-out";
    static final String HELD_OUT_PCT = "kroute.retrainer.held-out-pct";
    static final String RETENTION_HOURS = "kroute.retrainer.retention-hours";
    static final String SERVING_ROUTER = "kroute.retrainer.serving-router";
    static final String WORK_DIR = "kroute.retrainer.work-dir";
    static final String SEED = "kroute.retrainer.seed";
    static final String HOLDOUT_SALT_ENV = "kroute.retrainer.holdout-salt-env";
    static final String LABEL_SOURCES = "kroute.retrainer.label-sources";
    static final String PRICES = "kroute.retrainer.prices";
    static final String CHANNEL = "kroute.models.channel";
    static final String SIGNING_KEY = "kroute.models.signing-key";
    static final String STRONG_SHARE = "kroute.strong-share";
    static final String STRONG_MODEL = "kroute.model.strong";
    static final String WEAK_MODEL = "kroute.model.weak";
    static final String TOPIC_PREFIX = "kroute.topic-prefix";
    static final String JUDGE_SHARE = "kroute.judge.share";
    static final String JUDGE_STRONG_URL = "kroute.judge.strong-url";
    static final String JUDGE_WEAK_URL = "kroute.judge.weak-url";
    static final String JUDGE_URL = "kroute.judge.url";
    static final String JUDGE_MODEL = "kroute.judge.model";
    static final String METRICS_HOST = "kroute.metrics.host";
    static final String METRICS_PORT = "kroute.metrics.port";
    static final String BROKER_TIMEOUT_MS = "kroute.broker.timeout-ms";

    /** Every {@code kroute.*} key the retrainer reads. */
    public static final Set<String> KEYS = Set.of(
            KIND,
            HYPERPARAMETERS,
            MIN_NEW_LABELS,
            MIN_HELD_OUT,
            HELD_OUT_PCT,
            RETENTION_HOURS,
            SERVING_ROUTER,
            WORK_DIR,
            SEED,
            HOLDOUT_SALT_ENV,
            LABEL_SOURCES,
            PRICES,
            CandidateEncoder.PROPERTY,
            CHANNEL,
            SIGNING_KEY,
            STRONG_SHARE,
            STRONG_MODEL,
            WEAK_MODEL,
            TOPIC_PREFIX,
            JUDGE_SHARE,
            JUDGE_STRONG_URL,
            JUDGE_WEAK_URL,
            JUDGE_URL,
            JUDGE_MODEL,
            METRICS_HOST,
            METRICS_PORT,
            BROKER_TIMEOUT_MS);

    public RetrainerConfig {
        joinStreams = PropertiesConfig.copy(joinStreams);
    }

    public static RetrainerConfig load(Path file) {
        return fromProperties(PropertiesConfig.read(file));
    }

    /** The file's settings with some keys replaced (a null value removes the key). */
    public static RetrainerConfig withOverrides(Properties file, Map<String, String> overrides) {
        return fromProperties(PropertiesConfig.overridden(file, overrides));
    }

    public static RetrainerConfig fromProperties(Properties props) {
        Properties streams = PropertiesConfig.splitOff(props, "kroute.", KEYS);
        if (streams.getProperty("bootstrap.servers", "").isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is required");
        }
        String strongModel = text(props, STRONG_MODEL, "gpt-4-1106-preview");
        String weakModel = text(props, WEAK_MODEL, "mistralai/Mixtral-8x7B-Instruct-v0.1");
        RetrainerSettings d = RetrainerSettings.defaults(strongModel, weakModel);
        RetrainerSettings settings = new RetrainerSettings(
                text(props, KIND, d.kind()),
                strongModel,
                weakModel,
                fraction(props, STRONG_SHARE, d.strongShare()),
                (int) whole(props, MIN_NEW_LABELS, d.minNewLabels(), 1, Integer.MAX_VALUE),
                (int) whole(props, MIN_HELD_OUT, d.minHeldOut(), 1, Integer.MAX_VALUE),
                (int) whole(props, HELD_OUT_PCT, d.holdoutPercent(), 1, 90),
                text(props, CHANNEL, d.channel()),
                Path.of(text(props, WORK_DIR, d.workDir().toString())),
                Duration.ofHours(whole(props, RETENTION_HOURS, d.retention().toHours(), 1, 24L * 365)),
                whole(props, SEED, d.seed(), Long.MIN_VALUE, Long.MAX_VALUE),
                text(props, HYPERPARAMETERS, ""),
                holdoutSalt(props),
                labelSources(props));
        checkHyperparameters(settings);
        return new RetrainerConfig(
                KafkaConnection.from(streams),
                Topics.withPrefix(text(props, TOPIC_PREFIX, "")),
                streams,
                settings,
                text(props, SERVING_ROUTER, "random"),
                text(props, CandidateEncoder.PROPERTY, ""),
                judge(props, strongModel, weakModel),
                text(props, METRICS_HOST, "0.0.0.0"),
                (int) whole(props, METRICS_PORT, -1, -1, 65_535),
                Duration.ofMillis(whole(props, BROKER_TIMEOUT_MS, 10_000, 1, Integer.MAX_VALUE)),
                signer(props),
                text(props, PRICES, io.kroute.router.multi.PriceTable.ARENA_2023));
    }

    /** A two-model kind's hyperparameters are parsed and checked now, not at the first round hours later. */
    private static void checkHyperparameters(RetrainerSettings settings) {
        if (!RetrainerSettings.ROUTER_KINDS.contains(settings.kind())) {
            return; // quality-ridge takes none, and says so at start
        }
        try {
            io.kroute.router.train.RouterTraining.check(
                    settings.kind(), io.kroute.router.train.RouterTraining.parseOverrides(settings.hyperparameters()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(HYPERPARAMETERS + ": " + e.getMessage(), e);
        }
    }

    private static JudgeLabeler.Settings judge(Properties props, String strongModel, String weakModel) {
        double share = fraction(props, JUDGE_SHARE, 0);
        if (share == 0) {
            return null;
        }
        String strongUrl = required(props, JUDGE_STRONG_URL, JUDGE_SHARE);
        String weakUrl = required(props, JUDGE_WEAK_URL, JUDGE_SHARE);
        return new JudgeLabeler.Settings(
                share,
                Map.of(Tier.STRONG, strongUrl, Tier.WEAK, weakUrl),
                Map.of(Tier.STRONG, strongModel, Tier.WEAK, weakModel),
                required(props, JUDGE_URL, JUDGE_SHARE),
                required(props, JUDGE_MODEL, JUDGE_SHARE));
    }

    /**
     * The secret the held-out split is keyed with, from the environment variable the file names (a secret does not
     * belong in a config file); empty when it is not set.
     */
    private static String holdoutSalt(Properties props) {
        String variable = text(props, HOLDOUT_SALT_ENV, "KROUTE_HOLDOUT_SALT");
        String salt = variable.isEmpty() ? null : System.getenv(variable);
        return salt == null ? "" : salt;
    }

    private static java.util.Set<String> labelSources(Properties props) {
        java.util.Set<String> sources = new java.util.TreeSet<>();
        for (String source : text(props, LABEL_SOURCES, "").split(",")) {
            if (source.isBlank()) {
                continue;
            }
            String name = source.strip();
            if (!java.util.Set.of("human", "judge", "golden").contains(name)) {
                throw new IllegalArgumentException(
                        LABEL_SOURCES + ": unknown source '" + name + "' (human, judge, golden)");
            }
            sources.add(name);
        }
        return sources;
    }

    /** The signer of the configured key file, read at start so that a bad file stops the process. */
    private static RouterModelSigner signer(Properties props) {
        String file = text(props, SIGNING_KEY, "");
        try {
            return file.isEmpty() ? null : RouterModelSigner.load(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SIGNING_KEY + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties props, String key, String because) {
        String value = text(props, key, "");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " is required when " + because + " is above 0");
        }
        return value;
    }
}
