package io.kroute.retrain;

import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.Feedback;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.LabeledPrompt;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Joins each label on the feedback topic to what the router saw for that request: the routed prompt from its queue
 * (strong or weak, or with many models the chosen model's; every {@code llm-queue-*} topic of the prefix is followed,
 * and one created later is picked up within the consumer's metadata age), kept in a state store for the retention
 * window. A label that cannot be read, or whose request is unknown
 * or older than the window, goes to the dead-letter topic with the reason.
 *
 * <p>The queue topics and the feedback topic must have the same number of partitions (all are keyed by request id), so
 * that a label meets its prompt in the same task.
 */
public final class FeedbackJoinTopology {

    static final String STORE = "routed-prompts";
    static final String STAGE = "feedback-join";

    private FeedbackJoinTopology() {}

    /** The outcome of one label: joined, or rejected. */
    sealed interface Joined {
        record Example(LabeledPrompt prompt) implements Joined {}

        record Rejected(DeadLetter letter) implements Joined {}
    }

    public static Topology build(StreamsBuilder builder, Topics topics, Duration retention) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray()));

        builder.stream(
                        topics.queues(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("routed-source"))
                .process(() -> new RememberRouted(retention), Named.as("remember-routed"), STORE);

        KStream<String, Joined> joined = builder.stream(
                        topics.feedback().name(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("feedback-source"))
                .process(JoinLabel::new, Named.as("join-label"), STORE);

        joined.split(Named.as("label-"))
                .branch(
                        (id, outcome) -> outcome instanceof Joined.Rejected,
                        Branched.withConsumer(
                                rejected -> rejected.mapValues(
                                                outcome -> ((Joined.Rejected) outcome).letter(),
                                                Named.as("label-dead-letter"))
                                        .to(
                                                topics.deadLetters().name(),
                                                Produced.with(
                                                                topics.deadLetters()
                                                                        .keySerde(),
                                                                topics.deadLetters()
                                                                        .valueSerde())
                                                        .withName("label-dead-letter-sink")),
                                "rejected"))
                .defaultBranch(Branched.withConsumer(
                        examples -> examples.mapValues(
                                        outcome -> ((Joined.Example) outcome).prompt(), Named.as("labeled-prompt"))
                                .to(
                                        topics.labeledPrompts().name(),
                                        Produced.with(
                                                        topics.labeledPrompts().keySerde(),
                                                        topics.labeledPrompts().valueSerde())
                                                .withName("labeled-prompt-sink")),
                        "joined"));
        return builder.build();
    }

    public static Properties config(Properties given) {
        Properties props = new Properties();
        props.putAll(given);
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "kroute-feedback-join");
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.putIfAbsent(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // A queue created after the join started (a model added to the stream) is found at the next metadata refresh.
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix("metadata.max.age.ms"), "30000");
        return props;
    }

    /** Keeps each routed prompt by request id, and forgets it when it is older than the retention window. */
    static final class RememberRouted implements Processor<String, byte[], Void, Void> {

        private final Duration retention;
        private KeyValueStore<String, byte[]> store;

        RememberRouted(Duration retention) {
            this.retention = retention;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
            Duration every = retention.compareTo(Duration.ofMinutes(10)) < 0 ? retention : Duration.ofMinutes(1);
            context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::expire);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            try {
                Codecs.ROUTED_PROMPT.decode(record.value());
            } catch (InvalidMessageException e) {
                // The workers dead-letter unreadable queue records; nothing to remember here.
                return;
            }
            store.put(record.key(), record.value());
        }

        private void expire(long now) {
            long oldest = now - retention.toMillis();
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, byte[]> entry = all.next();
                    if (Codecs.ROUTED_PROMPT.decode(entry.value).decision().routedAt() < oldest) {
                        expired.add(entry.key);
                    }
                }
            }
            expired.forEach(store::delete);
        }
    }

    /** Looks a label's request up among the remembered prompts. */
    static final class JoinLabel implements Processor<byte[], byte[], String, Joined> {

        private KeyValueStore<String, byte[]> store;
        private ProcessorContext<String, Joined> context;

        @Override
        public void init(ProcessorContext<String, Joined> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            Feedback label;
            try {
                label = Codecs.FEEDBACK.decode(record.value());
            } catch (InvalidMessageException e) {
                reject(record, key, e.getMessage());
                return;
            }
            byte[] remembered = store.get(label.requestId());
            if (remembered == null) {
                reject(
                        record,
                        label.requestId(),
                        "unknown or expired request " + label.requestId()
                                + ": no routed prompt within the retention window");
                return;
            }
            RoutedPrompt routed = Codecs.ROUTED_PROMPT.decode(remembered);
            LabeledPrompt example = new LabeledPrompt(
                    label.requestId(),
                    routed.request().lastUserText(),
                    routed.decision().tier(),
                    routed.decision().model(),
                    routed.decision().routerVersion(),
                    routed.decision().score(),
                    label,
                    routed.decision().routedAt());
            context.forward(record.withKey(label.requestId()).withValue(new Joined.Example(example)));
        }

        private void reject(Record<byte[], byte[]> record, String key, String reason) {
            RecordMetadata where = context.recordMetadata().orElse(null);
            DeadLetter letter = DeadLetter.of(
                    key,
                    record.value(),
                    where == null ? "unknown" : where.topic(),
                    where == null ? -1 : where.partition(),
                    where == null ? -1 : where.offset(),
                    STAGE,
                    reason,
                    System.currentTimeMillis());
            context.forward(record.withKey(key).withValue(new Joined.Rejected(letter)));
        }
    }
}
