package io.kroute.stream;

import io.kroute.runtime.BoundedRocksDb;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topic;
import io.kroute.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The routing topology: prompts in; each prompt validated, scored and sent to the strong or the weak queue; anything
 * unreadable to the dead-letter topic. Stateless, so it scales with the partitions of the prompts topic, unless the
 * policy calibrates on traffic: then each task keeps its recent scores in a store (changelogged, restored on restart).
 */
public final class RouterTopology {

    private RouterTopology() {}

    public static Topology build(StreamsBuilder builder, Topics topics, RoutingPolicy policy) {
        return build(builder, topics, policy, RouterMetrics.noop());
    }

    public static Topology build(StreamsBuilder builder, Topics topics, RoutingPolicy policy, RouterMetrics metrics) {
        return build(builder, topics, policy, metrics, RoutingOptions.SIMPLE);
    }

    /** @param options batching, prompt limits, deduplication and the instance's name */
    public static Topology build(
            StreamsBuilder builder,
            Topics topics,
            RoutingPolicy policy,
            RouterMetrics metrics,
            RoutingOptions options) {
        Batching batching = options.batching();
        // Calibrating on traffic keeps each task's recent scores in a changelogged store, batching the prompts that
        // wait for their batch; with neither, no state at all.
        List<String> stores = new ArrayList<>();
        if (policy.trafficCalibration() != null) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(RecentScores.STORE), Serdes.String(), Serdes.ByteArray()));
            stores.add(RecentScores.STORE);
        }
        if (batching.batches()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(PendingPrompts.STORE), Serdes.Long(), Serdes.ByteArray()));
            stores.add(PendingPrompts.STORE);
        }
        if (options.deduplicates()) {
            builder.addStateStore(SeenRequests.builder(options.dedupWindow()));
            stores.add(SeenRequests.STORE);
        }
        // Raw bytes in: a record that is not even JSON must reach the dead-letter topic, not kill the stream thread.
        KStream<String, RoutingOutcome> outcomes = builder.stream(
                        topics.prompts().name(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("prompts-source"))
                .process(
                        () -> new RoutePromptProcessor(policy, metrics, options),
                        Named.as("route-prompt"),
                        stores.toArray(String[]::new));

        if (policy.selection() != null) {
            // many models: a branch per model's queue, in the configured order; a decision always names one of them
            var branches = outcomes.split(Named.as("outcome-"))
                    .branch(
                            (id, outcome) -> outcome.isRejected(),
                            Branched.withConsumer(rejected -> toDeadLetters(rejected, topics.deadLetters()), "dead"));
            for (ModelQueue queue : policy.selection().queues()) {
                String name = queue.queue();
                branches = branches.branch(
                        (id, outcome) -> outcome.isRoutedToQueue(name),
                        // "model-" keeps a queue's operators apart from the dead-letter branch's, whatever its name
                        Branched.withConsumer(
                                routed -> toQueue(routed, topics.queue(name), "model-" + name), "model-" + name));
            }
            branches.noDefaultBranch();
            return builder.build();
        }
        outcomes.split(Named.as("outcome-"))
                .branch(
                        (id, outcome) -> outcome.isRejected(),
                        Branched.withConsumer(rejected -> toDeadLetters(rejected, topics.deadLetters()), "dead"))
                .branch(
                        (id, outcome) -> outcome.isRoutedTo(Tier.STRONG),
                        Branched.withConsumer(strong -> toQueue(strong, topics.strongQueue(), "strong"), "strong"))
                .defaultBranch(Branched.withConsumer(weak -> toQueue(weak, topics.weakQueue(), "weak"), "weak"));

        return builder.build();
    }

    private static void toQueue(
            KStream<String, RoutingOutcome> routed, Topic<String, RoutedPrompt> queue, String tier) {
        routed.mapValues(outcome -> ((RoutingOutcome.Routed) outcome).prompt(), Named.as(tier + "-prompt"))
                .to(
                        queue.name(),
                        Produced.with(queue.keySerde(), queue.valueSerde()).withName(tier + "-queue-sink"));
    }

    private static void toDeadLetters(KStream<String, RoutingOutcome> rejected, Topic<String, DeadLetter> deadLetters) {
        rejected.mapValues(outcome -> ((RoutingOutcome.Rejected) outcome).deadLetter(), Named.as("dead-letter"))
                .to(
                        deadLetters.name(),
                        Produced.with(deadLetters.keySerde(), deadLetters.valueSerde())
                                .withName("dead-letter-sink"));
    }

    /**
     * Fills in what the topology needs and what production should have, without overriding anything the operator set.
     */
    public static Properties config(Properties given) {
        Properties props = new Properties();
        props.putAll(given);
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "kroute-router");
        props.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Exactly-once commits every 100 ms by default: a transaction per task ten times a second costs the broker
        // more than routing does (measured: 1.8 ms of broker CPU per prompt at 100 ms, 0.8 ms at 1 s). Routed prompts
        // become visible to the workers up to a second later, which a bulk workload does not notice.
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        // The deduplication window's RocksDB stores share one bounded budget instead of RocksDB's defaults per store.
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
        props.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.putIfAbsent(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.putIfAbsent(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.putIfAbsent(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return props;
    }
}
