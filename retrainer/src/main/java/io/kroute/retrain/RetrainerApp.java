package io.kroute.retrain;

import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.router.multi.CostModel;
import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.RidgeQuality;
import io.kroute.router.multi.TrainedPredictor;
import io.kroute.runtime.BrokerCheck;
import io.kroute.runtime.Health;
import io.kroute.runtime.OpsEndpoint;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.LabeledPrompt;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning loop as one process, with everything its config names: the feedback join (a Kafka Streams app that
 * turns labels into labelled prompts), the retrainer, which reads every labelled prompt from the beginning of the
 * topic (its label book is rebuilt from the topic after a restart) and publishes the routers it promotes (a two-model
 * router, or with {@code kroute.retrainer.kind=quality-ridge} the many-model predictor in service corrected by the
 * labels, which many-model streams following the channel hot-swap), the judge
 * labeller when {@code kroute.judge.share} is above 0, and the ops endpoint. {@code main}, the learning-loop demo and
 * the tests start it here.
 */
public final class RetrainerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainerApp.class);

    private final KafkaStreams join;
    private final KafkaConsumer<String, byte[]> labels;
    private final Learner retrainer;
    private final RouterPublisher publisher;
    private final PromptEncoder encoder;
    private final JudgeLabeler judge;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;
    private volatile OpsEndpoint endpoint;

    private RetrainerApp(
            KafkaStreams join,
            KafkaConsumer<String, byte[]> labels,
            Learner retrainer,
            RouterPublisher publisher,
            PromptEncoder encoder,
            JudgeLabeler judge) {
        this.join = join;
        this.labels = labels;
        this.retrainer = retrainer;
        this.publisher = publisher;
        this.encoder = encoder;
        this.judge = judge;
        this.loop = new Thread(this::learn, "retrainer");
    }

    /**
     * Checks the cluster answers, then starts every part the config names.
     *
     * @throws IllegalArgumentException a setting that cannot be served (an unknown router or encoder, a port in use)
     * @throws io.kroute.runtime.BrokerUnreachableException the cluster did not answer within the broker timeout
     */
    public static RetrainerApp start(RetrainerConfig config) {
        BrokerCheck.require(config.connection().clientConfig(), config.brokerTimeout());
        boolean predictor = RidgeQuality.KIND.equals(config.settings().kind());
        // What the channel serves now (after a restart, a rollback or a publish by hand), else the configured one.
        String servingReference =
                ChannelInService.read(config).map(java.nio.file.Path::toString).orElse(config.servingRouter());
        TrainedPredictor servingPredictor = predictor ? servingPredictor(config, servingReference) : null;
        CostModel predictorCosts = null;
        if (predictor) {
            try {
                predictorCosts = PredictorRetrainer.costs(servingPredictor, PriceTable.load(config.prices()));
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                servingPredictor.close();
                throw new IllegalArgumentException(RetrainerConfig.PRICES + ": " + e.getMessage(), e);
            }
        }
        Router serving = predictor ? null : RouterLoader.load(servingReference);
        PromptEncoder encoder = null;
        if (!predictor) {
            try {
                encoder = CandidateEncoder.open(CandidateEncoder.spec(config.encoderSpec(), serving));
            } catch (IllegalArgumentException e) {
                serving.close();
                throw new IllegalArgumentException(CandidateEncoder.PROPERTY + ": " + e.getMessage(), e);
            }
        }

        // From here on every part is closed again if a later one cannot start.
        RouterPublisher publisher = null;
        Learner retrainer = null;
        KafkaStreams join = null;
        KafkaConsumer<String, byte[]> consumer = null;
        JudgeLabeler judge = null;
        try {
            publisher = new RouterPublisher(config.connection(), config.topics(), config.signer());
            retrainer = predictor
                    ? new PredictorRetrainer(config.settings(), servingPredictor, predictorCosts, publisher::publish)
                    : new Retrainer(config.settings(), encoder, serving, List.of(), publisher::publish);
            Properties joinProps = new Properties();
            joinProps.putAll(config.joinStreams());
            join = new KafkaStreams(
                    FeedbackJoinTopology.build(
                            new StreamsBuilder(),
                            config.topics(),
                            config.settings().retention()),
                    FeedbackJoinTopology.config(joinProps));
            join.start();

            Map<String, Object> consumerConfig = KafkaClientConfigs.committedReader(config.connection());
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            String topic = config.topics().labeledPrompts().name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            judge = config.judge() == null
                    ? null
                    : new JudgeLabeler(config.connection(), config.topics(), config.judge());
        } catch (RuntimeException e) {
            closeQuietly(judge, consumer, join, publisher);
            if (retrainer != null) {
                retrainer.close();
            } else {
                closeQuietly(servingPredictor, serving);
            }
            closeQuietly(encoder);
            throw e;
        }
        if (config.signer() == null) {
            LOG.warn(
                    "publishing unsigned routers: set {} so that router-streams can tell them from anyone else's",
                    RetrainerConfig.SIGNING_KEY);
        }
        if (!predictor && !config.prices().equals(PriceTable.ARENA_2023)) {
            LOG.warn(
                    "{} prices a many-model loop's choices; with {}={} it is ignored",
                    RetrainerConfig.PRICES,
                    RetrainerConfig.KIND,
                    config.settings().kind());
        }
        if (predictor && !config.settings().hyperparameters().isBlank()) {
            LOG.warn(
                    "{}={} takes no hyperparameters: '{}' is ignored",
                    RetrainerConfig.KIND,
                    RidgeQuality.KIND,
                    config.settings().hyperparameters());
        }
        RetrainerApp app = new RetrainerApp(join, consumer, retrainer, publisher, encoder, judge);
        app.loop.start();
        if (config.metricsPort() >= 0) {
            try {
                app.endpoint = OpsEndpoint.start(
                        config.metricsHost(), config.metricsPort(), app.metricsRegistry(), app::health);
            } catch (IOException e) {
                app.close();
                throw new IllegalArgumentException(
                        RetrainerConfig.METRICS_PORT + " " + config.metricsPort() + " cannot be served: " + e, e);
            }
        }
        if (config.settings().holdoutSalt().isEmpty()) {
            LOG.warn("the held-out split is a public hash of the request id: set the environment variable named by "
                    + RetrainerConfig.HOLDOUT_SALT_ENV
                    + " to a secret, so a labeller cannot aim at the held-out slice");
        }
        LOG.info(
                "retrainer: learning from {}, training {} on {}, publishing to channel {}{}{}",
                config.connection(),
                config.settings().kind(),
                predictor ? servingPredictor.encoderId() : encoder.id(),
                config.settings().channel(),
                judge == null ? "" : ", judging " + config.judge().share() + " of answered requests",
                app.endpoint == null ? "" : ", metrics and health on port " + app.endpoint.port());
        return app;
    }

    /**
     * The predictor a {@code quality-ridge} retrainer corrects: it must be the one the many-model streams serve, and
     * the candidates read its encoder's vectors, so another encoder cannot be named.
     */
    private static TrainedPredictor servingPredictor(RetrainerConfig config, String reference) {
        if (config.judge() != null) {
            throw new IllegalArgumentException(RetrainerConfig.JUDGE_SHARE + " must be 0 with " + RetrainerConfig.KIND
                    + "=" + RidgeQuality.KIND + ": a judge's verdict is a preference between two tiers");
        }
        TrainedPredictor serving;
        try {
            serving = TrainedPredictor.load(reference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    RetrainerConfig.SERVING_ROUTER + ": " + RetrainerConfig.KIND + "=" + RidgeQuality.KIND
                            + " corrects the predictor in service (e.g. classpath:kroute/routers/arena-predictor): "
                            + e.getMessage(),
                    e);
        }
        if (!config.encoderSpec().isBlank()) {
            serving.close();
            throw new IllegalArgumentException(
                    CandidateEncoder.PROPERTY + ": a corrected predictor reads the vectors of" + " the one in service ("
                            + serving.card().encoder() + "); leave it unset");
        }
        return serving;
    }

    private static void closeQuietly(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                if (part instanceof KafkaStreams streams) {
                    streams.close(Duration.ofSeconds(30));
                } else {
                    part.close();
                }
            } catch (Exception e) {
                LOG.debug("closing {} after a failed start", part, e);
            }
        }
    }

    private PrometheusMeterRegistry metricsRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("kroute.retrainer.labels", retrainer, Learner::labels)
                .description("labelled prompts the retrainer holds")
                .register(registry);
        Gauge.builder("kroute.retrainer.labels.refused", retrainer, Learner::refusedLabels)
                .description("labels not counted: a source that does not count, or a repeat for a request")
                .register(registry);
        Gauge.builder("kroute.retrainer.rounds", retrainer, Learner::rounds)
                .description("retraining rounds run since start")
                .register(registry);
        Gauge.builder("kroute.retrainer.promotions", retrainer, Learner::promotions)
                .description("candidates promoted since start")
                .register(registry);
        if (judge != null) {
            Gauge.builder("kroute.retrainer.judge.labels", judge, JudgeLabeler::labelled)
                    .description("judge labels written since start")
                    .register(registry);
        }
        return registry;
    }

    /** Up while the feedback join runs (or rebalances) and the retrainer's loop reads labels. */
    public Health health() {
        KafkaStreams.State state = join.state();
        return Health.builder()
                .check(
                        "feedback-join",
                        state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING,
                        state.name())
                .check("retrainer", loop.isAlive(), retrainer.labels() + " labels")
                .build();
    }

    private void learn() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : labels.poll(Duration.ofMillis(200))) {
                    LabeledPrompt example;
                    try {
                        example = Codecs.LABELED_PROMPT.decode(record.value());
                    } catch (InvalidMessageException e) {
                        LOG.warn(
                                "skipping unreadable labelled prompt at offset {}: {}",
                                record.offset(),
                                e.getMessage());
                        continue;
                    }
                    try {
                        retrainer.accept(example);
                    } catch (Exception e) {
                        // A round that fails (a full disk, a candidate that will not load) is logged; the router in
                        // service stays, and the next round comes after the next batch of labels.
                        LOG.error("retraining round failed; the router in service stays", e);
                    }
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                LOG.error("retrainer stopped; the router in service stays", e);
            }
        } finally {
            labels.close(Duration.ofSeconds(5));
        }
    }

    /** The version candidates are compared with now. */
    public String servingVersion() {
        return retrainer.servingVersion();
    }

    /** A two-model retrainer's rounds (none when it corrects a many-model predictor). */
    public List<PromotionDecision> decisions() {
        return retrainer instanceof Retrainer r ? r.decisions() : List.of();
    }

    /** A many-model predictor's rounds (none when it trains a two-model router). */
    public List<PredictorDecision> predictorDecisions() {
        return retrainer instanceof PredictorRetrainer p ? p.decisions() : List.of();
    }

    /** Runs a round now, whatever the number of new labels (a scheduled round, or an operator's). */
    public void runRoundNow() throws Exception {
        retrainer.runRound();
    }

    public int labels() {
        return retrainer.labels();
    }

    /** A two-model retrainer's held-out prompts with both models scored. */
    public List<io.kroute.router.data.ScoredAnswer> heldOut() {
        return retrainer instanceof Retrainer r ? r.heldOut() : List.of();
    }

    public KafkaStreams.State joinState() {
        return join.state();
    }

    /** The judge labeller, when the config turns it on. */
    public Optional<JudgeLabeler> judge() {
        return Optional.ofNullable(judge);
    }

    /** The port of the ops endpoint, or -1 when it is off. */
    public int metricsPort() {
        OpsEndpoint current = endpoint;
        return current == null ? -1 : current.port();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            loop.join(60_000);
            if (judge != null) {
                judge.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OpsEndpoint current = endpoint;
        if (current != null) {
            current.close();
        }
        join.close(Duration.ofSeconds(30));
        publisher.close();
        retrainer.close();
        if (encoder != null) {
            encoder.close();
        }
    }
}
