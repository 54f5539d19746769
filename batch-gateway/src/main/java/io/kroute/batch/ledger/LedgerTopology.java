package io.kroute.batch.ledger;

import io.kroute.batch.kafka.BatchTopics;
import io.kroute.runtime.BoundedRocksDb;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.InvalidMessageException;
import io.kroute.schemas.Json;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.Topics;
import java.io.IOException;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The batch gateway's Kafka Streams topology: the uploaded files as a global store (so any instance serves any file),
 * and the ledger of jobs fed by the gateway's events and by the pipeline's answers and dead letters, re-keyed by batch
 * id so one task holds one job. The ledger writes prompts to the prompts topic and each job's state to the jobs topic.
 */
public final class LedgerTopology {

    public static final String FILES_STORE = "batch-files";

    /**
     * The jobs topic as a global store: what the API shows. It holds only committed states, so a count the API showed
     * never goes back (the ledger's own store also holds what a transaction has not committed yet, which a crash
     * undoes and the restarted ledger redoes).
     */
    public static final String JOBS_VIEW = "batch-jobs-view";

    private LedgerTopology() {}

    public static Topology build(
            StreamsBuilder builder, Topics pipeline, BatchTopics batch, LedgerOptions options, LedgerMetrics metrics) {
        builder.globalTable(
                batch.files(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("files-source"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(FILES_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()));
        builder.globalTable(
                batch.jobs(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("jobs-view-source"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(JOBS_VIEW)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()));
        for (String store : LedgerStores.ALL) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()));
        }
        Serde<LedgerEvent> events = eventSerde();

        KStream<String, LedgerEvent> fromGateway = builder.stream(
                batch.events(), Consumed.with(Serdes.String(), events).withName("events-source"));

        // Only batch requests' outcomes matter here; their ids start with the batch id, so most records are skipped
        // on the key alone. Values are read as bytes: a record that is not a valid response is not the ledger's
        // business (the pipeline dead-letters its own bad records), it must not stop the ledger.
        KStream<String, LedgerEvent> answers = builder.stream(
                        pipeline.responses().name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("responses-source"))
                .filter((id, value) -> BatchIds.isRequestOfABatch(id) && value != null, Named.as("batch-responses"))
                .flatMap(
                        (id, value) -> {
                            try {
                                LlmResponse response = Codecs.LLM_RESPONSE.decode(value);
                                return java.util.List.of(
                                        KeyValue.pair(BatchIds.batchOf(id), new LedgerEvent.Answered(id, response)));
                            } catch (InvalidMessageException e) {
                                return java.util.List.of();
                            }
                        },
                        Named.as("answered"));
        KStream<String, LedgerEvent> dead = builder.stream(
                        pipeline.deadLetters().name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letters-source"))
                .filter((id, value) -> BatchIds.isRequestOfABatch(id) && value != null, Named.as("batch-dead-letters"))
                .flatMap(
                        (id, value) -> {
                            try {
                                DeadLetter letter = Codecs.DEAD_LETTER.decode(value);
                                return java.util.List.of(KeyValue.pair(
                                        BatchIds.batchOf(id),
                                        new LedgerEvent.DeadLettered(id, letter.stage(), letter.reason())));
                            } catch (InvalidMessageException e) {
                                return java.util.List.of();
                            }
                        },
                        Named.as("dead-lettered"));
        KStream<String, LedgerEvent> outcomes = answers.merge(dead, Named.as("outcomes"))
                .repartition(Repartitioned.with(Serdes.String(), events)
                        .withName("batch-outcomes")
                        .withNumberOfPartitions(batch.partitions()));

        KStream<String, LedgerOutput> written = fromGateway
                .merge(outcomes, Named.as("ledger-input"))
                .process(
                        () -> new LedgerProcessor(options, metrics),
                        Named.as("ledger"),
                        LedgerStores.ALL.toArray(String[]::new));

        written.split(Named.as("ledger-"))
                .branch(
                        (key, out) -> out instanceof LedgerOutput.Prompt,
                        Branched.withConsumer(
                                prompts -> prompts.mapValues(
                                                out -> ((LedgerOutput.Prompt) out).request(), Named.as("prompt"))
                                        .to(
                                                pipeline.prompts().name(),
                                                Produced.with(
                                                                pipeline.prompts()
                                                                        .keySerde(),
                                                                pipeline.prompts()
                                                                        .valueSerde())
                                                        .withName("prompts-sink")),
                                "prompts"))
                .defaultBranch(Branched.withConsumer(
                        changed -> changed.mapValues(
                                        out -> jsonBytes(((LedgerOutput.JobChanged) out).state()), Named.as("job"))
                                .to(
                                        batch.jobs(),
                                        Produced.with(Serdes.String(), Serdes.ByteArray())
                                                .withName("jobs-sink")),
                        "jobs"));
        return builder.build();
    }

    /** The topology's settings, over what the operator gave: exactly-once, explicit names, a short commit interval. */
    public static Properties config(Properties given) {
        Properties props = new Properties();
        props.putAll(given);
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "kroute-batch-gateway");
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // the API answers from the stores: a job created is visible a commit later
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        props.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        // the stores hold whole jobs (their queued lines, their results) and every file: memory must not grow with them
        props.putIfAbsent(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
        props.putIfAbsent(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
        props.putIfAbsent(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.putIfAbsent(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return props;
    }

    static Serde<LedgerEvent> eventSerde() {
        Serializer<LedgerEvent> serializer = (topic, event) -> event == null ? null : jsonBytes(event);
        Deserializer<LedgerEvent> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.MAPPER.readValue(bytes, LedgerEvent.class);
            } catch (IOException e) {
                // only the gateway writes events: an unreadable one is a bug or a stranger, and is skipped (logged)
                org.slf4j.LoggerFactory.getLogger(LedgerTopology.class)
                        .error("unreadable batch event skipped: {}", e.getMessage());
                return null;
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    static byte[] jsonBytes(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
