package io.kroute.retrain;

import io.kroute.router.Router;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.encoder.PromptEncoder;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.Topics;
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
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning loop as one process: the feedback join (a Kafka Streams app that turns labels into labelled prompts)
 * and the retrainer, which reads every labelled prompt from the beginning of the topic (its label book is rebuilt from
 * the topic after a restart) and publishes the routers it promotes.
 */
public final class RetrainerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainerApp.class);

    private final KafkaStreams join;
    private final KafkaConsumer<String, byte[]> labels;
    private final Retrainer retrainer;
    private final RouterPublisher publisher;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;

    private RetrainerApp(
            KafkaStreams join, KafkaConsumer<String, byte[]> labels, Retrainer retrainer, RouterPublisher publisher) {
        this.join = join;
        this.labels = labels;
        this.retrainer = retrainer;
        this.publisher = publisher;
        this.loop = new Thread(this::learn, "retrainer");
    }

    public static RetrainerApp start(
            String bootstrapServers,
            Topics topics,
            Properties joinStreamsProps,
            RetrainerSettings settings,
            PromptEncoder encoder,
            Router serving,
            List<ScoredAnswer> base) {
        Properties props = new Properties();
        props.putAll(joinStreamsProps);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        KafkaStreams join = new KafkaStreams(
                FeedbackJoinTopology.build(new StreamsBuilder(), topics, settings.retention()),
                FeedbackJoinTopology.config(props));
        join.start();

        Map<String, Object> config = KafkaClientConfigs.committedReader(bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        String topic = topics.labeledPrompts().name();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);

        RouterPublisher publisher = new RouterPublisher(bootstrapServers, topics);
        Retrainer retrainer = new Retrainer(settings, encoder, serving, base, publisher::publish);
        RetrainerApp app = new RetrainerApp(join, consumer, retrainer, publisher);
        app.loop.start();
        return app;
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
                    retrainer.accept(example);
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

    public List<PromotionDecision> decisions() {
        return retrainer.decisions();
    }

    /** Runs a round now, whatever the number of new labels (a scheduled round, or an operator's). */
    public Optional<PromotionDecision> runRoundNow() throws Exception {
        return retrainer.runRound();
    }

    public int labels() {
        return retrainer.labels();
    }

    public List<ScoredAnswer> heldOut() {
        return retrainer.heldOut();
    }

    public KafkaStreams.State joinState() {
        return join.state();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        loop.join(60_000);
        join.close(Duration.ofSeconds(30));
        publisher.close();
        retrainer.close();
    }
}
