package io.kroute.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.batch.format.BatchLimits;
import io.kroute.batch.ledger.LedgerOptions;
import io.kroute.batch.ledger.Prices;
import io.kroute.runtime.YamlConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the batch gateway needs, read from YAML ({@code etc/batch-gateway.yaml}, every key optional) over
 * {@link #defaults()}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topicPrefix prefix of every topic name, the pipeline's and the gateway's
 * @param kafka extra Kafka client properties (security settings), for the gateway's producer and its stream
 * @param applicationId the ledger's Kafka Streams application id (its consumer group and internal topics)
 * @param instanceId names this process: its transactional id derives from it, so a restarted process fences what its
 *     predecessor left open at once
 * @param stateDir where the ledger keeps its stores on disk (restored from Kafka when empty)
 * @param host interface the API listens on
 * @param port port of the API; 0 picks a free one (logged)
 * @param apiKeys the bearer tokens the API accepts, each by the environment variable that holds it
 * @param maxInFlightPerJob requests of one job in the pipeline at once
 * @param ledgerPartitions partitions of the events topic: jobs spread over this many ledger tasks
 * @param replicationFactor of the gateway's topics; 0 for min(3, brokers)
 * @param brokerTimeoutMs how long to wait at start for the cluster to answer
 * @param maxFileBytes largest input file accepted (OpenAI: 200 MB)
 * @param maxLines most lines in an input file (OpenAI: 50,000)
 * @param maxLineBytes largest line: a longer one is an error line, never buffered whole
 * @param prices the tiers' USD per million tokens, for budgets: keep them at or above the workers' prices
 * @param budgetMaxTokens the answer length a budgeted job's line is capped at when it sets no max_tokens
 * @param answerCacheHours how long an answer is reused for identical requests
 */
public record BatchGatewayConfig(
        String bootstrapServers,
        String topicPrefix,
        Map<String, String> kafka,
        String applicationId,
        String instanceId,
        String stateDir,
        String host,
        int port,
        List<ApiKey> apiKeys,
        int maxInFlightPerJob,
        int ledgerPartitions,
        int replicationFactor,
        long brokerTimeoutMs,
        long maxFileBytes,
        int maxLines,
        int maxLineBytes,
        TierPrices prices,
        int budgetMaxTokens,
        int answerCacheHours) {

    /**
     * @param id names the key's owner: jobs and files are recorded under it and only it sees them
     * @param keyEnv the environment variable holding the token (never the token itself)
     * @param tenant the tenant its prompts are accounted to; the id when empty
     */
    public record ApiKey(String id, String keyEnv, String tenant) {}

    public record TierPrices(Prices.Price strong, Prices.Price weak) {}

    public BatchGatewayConfig {
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        instanceId = instanceId == null ? "" : instanceId;
        stateDir = stateDir == null ? "" : stateDir;
    }

    public static BatchGatewayConfig defaults() {
        return new BatchGatewayConfig(
                "127.0.0.1:9092",
                "",
                Map.of(),
                "kroute-batch-gateway",
                "gateway-1",
                "",
                "127.0.0.1",
                8090,
                List.of(new ApiKey("default", "KROUTE_API_KEY", "")),
                1000,
                1,
                0,
                10_000,
                BatchLimits.defaults().maxBytes(),
                BatchLimits.defaults().maxLines(),
                BatchLimits.defaults().maxLineBytes(),
                // the workers' default prices (gpt-4-1106-preview, Mixtral-8x7B hosted)
                new TierPrices(new Prices.Price(10.00, 30.00), new Prices.Price(0.60, 0.60)),
                1024,
                24);
    }

    /** @throws IllegalArgumentException one line naming the file and the key */
    public static BatchGatewayConfig load(Path file) {
        String text = YamlConfig.read(file);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    public static BatchGatewayConfig parse(String yaml) {
        return YamlConfig.parse(yaml, defaults(), BatchGatewayConfig.class, overrides -> {
                    for (var key : overrides.path("api_keys")) {
                        if (key.has("key")) {
                            throw new IllegalArgumentException("api_keys[].key is not allowed: put the token in an"
                                    + " environment variable and name it in key_env");
                        }
                    }
                })
                .validate();
    }

    /** @throws IllegalArgumentException listing every problem */
    public BatchGatewayConfig validate() {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("bootstrap_servers is empty");
        }
        if (port < 0 || port > 65535) {
            problems.add("port must be 0..65535, got " + port);
        }
        if (apiKeys.isEmpty()) {
            problems.add("api_keys is empty: nobody could call the API");
        }
        Set<String> ids = new HashSet<>();
        for (ApiKey key : apiKeys) {
            if (key.id() == null || key.id().isBlank() || !ids.add(key.id())) {
                problems.add("api_keys: every key needs its own id");
            }
            if (key.keyEnv() == null || key.keyEnv().isBlank()) {
                problems.add("api_keys: key " + key.id() + " has no key_env");
            }
        }
        if (maxInFlightPerJob < 1) {
            problems.add("max_in_flight_per_job must be at least 1, got " + maxInFlightPerJob);
        }
        if (ledgerPartitions < 1) {
            problems.add("ledger_partitions must be at least 1, got " + ledgerPartitions);
        }
        if (replicationFactor < 0) {
            problems.add("replication_factor must be 0 (automatic) or more, got " + replicationFactor);
        }
        if (maxFileBytes < 1 || maxLines < 1 || maxLineBytes < 1) {
            problems.add("max_file_bytes, max_lines and max_line_bytes must be positive");
        }
        if (prices == null || prices.strong() == null || prices.weak() == null) {
            problems.add("prices.strong and prices.weak are both needed (for budgets)");
        }
        if (budgetMaxTokens < 1) {
            problems.add("budget_max_tokens must be at least 1, got " + budgetMaxTokens);
        }
        if (answerCacheHours < 0) {
            problems.add("answer_cache_hours must be 0 or more, got " + answerCacheHours);
        }
        for (String key : kafka.keySet()) {
            if (OWN_KAFKA_KEYS.contains(key)) {
                problems.add("kafka." + key + " cannot be set: the gateway's guarantees depend on it"
                        + " (bootstrap_servers, application_id and state_dir are keys of their own)");
            } else if (!knownKafkaKey(key)) {
                problems.add("kafka." + key + " is not a Kafka client or Streams setting");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }

    /** What the gateway sets itself: exactly-once ledger, fenced writer, its own ids and directories. */
    private static final Set<String> OWN_KAFKA_KEYS = Set.of(
            "bootstrap.servers",
            "application.id",
            "state.dir",
            "processing.guarantee",
            "transactional.id",
            "enable.idempotence",
            "isolation.level",
            "group.instance.id",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer");

    /** A setting Kafka's own config definitions know, alone or under a Kafka Streams client prefix. */
    private static boolean knownKafkaKey(String key) {
        for (String prefix : List.of(
                "",
                StreamsConfig.MAIN_CONSUMER_PREFIX,
                StreamsConfig.RESTORE_CONSUMER_PREFIX,
                StreamsConfig.GLOBAL_CONSUMER_PREFIX,
                StreamsConfig.CONSUMER_PREFIX,
                StreamsConfig.PRODUCER_PREFIX,
                StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            if (key.startsWith(prefix)) {
                String name = key.substring(prefix.length());
                if (StreamsConfig.configDef().names().contains(name)
                        || ProducerConfig.configNames().contains(name)
                        || ConsumerConfig.configNames().contains(name)
                        || AdminClientConfig.configNames().contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    public BatchLimits limits() {
        return new BatchLimits(maxLines, maxFileBytes, maxLineBytes);
    }

    public LedgerOptions ledgerOptions() {
        return new LedgerOptions(
                maxInFlightPerJob,
                Duration.ofMillis(200),
                new Prices(prices.strong(), prices.weak(), budgetMaxTokens),
                Duration.ofHours(answerCacheHours));
    }

    public BatchGatewayConfig withKafka(String bootstrapServers, String topicPrefix, Map<String, String> kafka) {
        return with(Map.of("bootstrap_servers", bootstrapServers, "topic_prefix", topicPrefix, "kafka", kafka));
    }

    public BatchGatewayConfig withServing(String applicationId, String stateDir, int port, List<ApiKey> apiKeys) {
        return with(Map.of("application_id", applicationId, "state_dir", stateDir, "port", port, "api_keys", apiKeys));
    }

    public BatchGatewayConfig withMaxInFlightPerJob(int maxInFlightPerJob) {
        return with(Map.of("max_in_flight_per_job", maxInFlightPerJob));
    }

    /** This config with some keys replaced (by their YAML names), checked as a file's would be. */
    private BatchGatewayConfig with(Map<String, Object> changes) {
        ObjectNode tree = YamlConfig.YAML.valueToTree(this);
        changes.forEach((key, value) -> tree.set(key, YamlConfig.YAML.valueToTree(value)));
        try {
            return YamlConfig.YAML.treeToValue(tree, BatchGatewayConfig.class).validate();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad setting: " + e.getOriginalMessage(), e);
        }
    }
}
