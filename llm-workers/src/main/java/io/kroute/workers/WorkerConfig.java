package io.kroute.workers;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kroute.schemas.KafkaConnection;
import io.kroute.schemas.Tier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the workers need. Read from YAML by {@link WorkerConfigLoader} (every key optional, see
 * {@code etc/llm-workers.yaml}), or built in code from {@link #defaults()} with the {@code with*} methods.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topicPrefix prefix of every topic name, see {@link io.kroute.schemas.Topics#withPrefix(String)}
 * @param groupId consumer group of the workers; each queue's consumer uses {@code <groupId>-<queue>}
 * @param strong the LLM behind the strong queue; null when {@code models} names the queues
 * @param weak the LLM behind the weak queue; null when {@code models} names the queues
 * @param models the queues by name when there are more than the two tiers (topic {@code llm-queue-<name>}), in the
 *     order they start; empty for the two queues {@code strong} and {@code weak}. Never together with those two.
 * @param prices USD per million tokens, keyed by model name
 * @param commitIntervalMs how often finished offsets are committed
 * @param shutdownTimeoutMs how long a stop waits for calls in flight before it commits what is done
 * @param kafka extra Kafka client properties for consumers and producers (e.g. security settings), checked by Kafka's
 *     own config definitions
 * @param instanceId names this worker process in its group: the static group member id and the transactional ids
 *     derive from it, so a restarted process with the same id fences its predecessor at once; empty for a random one
 * @param metricsPort port of the ops endpoint ({@code /metrics}, {@code /health}); 0 picks a free port (logged), -1
 *     serves none
 * @param brokerTimeoutMs how long the process waits at start for the cluster to answer before it gives up (exit 2)
 */
public record WorkerConfig(
        String bootstrapServers,
        String topicPrefix,
        String groupId,
        @JsonInclude(JsonInclude.Include.NON_NULL) TierConfig strong,
        @JsonInclude(JsonInclude.Include.NON_NULL) TierConfig weak,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, TierConfig> models,
        Map<String, ModelPrice> prices,
        long commitIntervalMs,
        long shutdownTimeoutMs,
        Map<String, String> kafka,
        String instanceId,
        int metricsPort,
        long brokerTimeoutMs) {

    public static final String STRONG_MODEL = "gpt-4-1106-preview";
    public static final String WEAK_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    /** USD per million tokens; far above any price, so a cost (tokens are bounded too) stays a finite number. */
    static final double MAX_PRICE_PER_MILLION = 1_000_000;

    /**
     * Most queues one process consumes: each has a consumer, a transactional producer and a thread of its own, and a
     * deployment with more models than this would run several worker processes anyway.
     */
    public static final int MAX_QUEUES = 32;

    public WorkerConfig {
        // in the file's order (the order the queues start and /health lists them); may hold a null section, which
        // validate() reports
        models = models == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(models));
        prices = prices == null ? Map.of() : Map.copyOf(prices);
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        instanceId = instanceId == null ? "" : instanceId;
    }

    /** A config of the two tiers' queues, as before {@code models} existed. */
    public WorkerConfig(
            String bootstrapServers,
            String topicPrefix,
            String groupId,
            TierConfig strong,
            TierConfig weak,
            Map<String, ModelPrice> prices,
            long commitIntervalMs,
            long shutdownTimeoutMs,
            Map<String, String> kafka,
            String instanceId,
            int metricsPort,
            long brokerTimeoutMs) {
        this(
                bootstrapServers,
                topicPrefix,
                groupId,
                strong,
                weak,
                Map.of(),
                prices,
                commitIntervalMs,
                shutdownTimeoutMs,
                kafka,
                instanceId,
                metricsPort,
                brokerTimeoutMs);
    }

    public static WorkerConfig defaults() {
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        // OpenAI's published price for gpt-4-1106-preview (GPT-4 Turbo)
        prices.put(STRONG_MODEL, new ModelPrice(10.00, 30.00));
        // a typical hosted price (e.g. Together AI, Groq); Mistral does not sell this exact model by the token
        prices.put(WEAK_MODEL, new ModelPrice(0.60, 0.60));
        return new WorkerConfig(
                "127.0.0.1:9092",
                "",
                "kroute-llm-workers",
                TierConfig.of(STRONG_MODEL, "https://api.openai.com", "OPENAI_API_KEY", "openai", "weak"),
                TierConfig.of(WEAK_MODEL, "https://api.together.xyz", "TOGETHER_API_KEY", "together", "none"),
                prices,
                1_000,
                30_000,
                Map.of(),
                "",
                9401,
                10_000);
    }

    public TierConfig tier(Tier tier) {
        return tier == Tier.STRONG ? strong : weak;
    }

    /**
     * The queues the workers consume, by name, in the order they start: those of {@code models}, or else
     * {@code strong} and {@code weak}.
     */
    public Map<String, TierConfig> queues() {
        if (!models.isEmpty()) {
            return models;
        }
        Map<String, TierConfig> tiers = new LinkedHashMap<>();
        tiers.put(Tier.STRONG.wireName(), strong);
        tiers.put(Tier.WEAK.wireName(), weak);
        return Collections.unmodifiableMap(tiers);
    }

    /** The section of the queue named {@code name}; see {@link #queues()}. */
    public TierConfig queue(String name) {
        TierConfig queue = queues().get(name);
        if (queue == null) {
            throw new IllegalArgumentException("no queue named " + name + ", known: " + queues().keySet());
        }
        return queue;
    }

    /**
     * The consumer group of a tier's worker, {@code <group_id>-strong} or {@code <group_id>-weak}: one group per queue,
     * so a rebalance of one tier's workers never pauses the other's.
     */
    public String consumerGroup(Tier tier) {
        return consumerGroup(tier.wireName());
    }

    /** The consumer group of a queue's worker, {@code <group_id>-<queue>}: one group per queue, as for the tiers. */
    public String consumerGroup(String queue) {
        return groupId + "-" + queue;
    }

    private WorkerConfig copy(Edit edit) {
        Builder b = new Builder(this);
        edit.apply(b);
        return new WorkerConfig(
                b.bootstrapServers,
                b.topicPrefix,
                b.groupId,
                b.strong,
                b.weak,
                b.models,
                b.prices,
                b.commitIntervalMs,
                b.shutdownTimeoutMs,
                b.kafka,
                b.instanceId,
                b.metricsPort,
                b.brokerTimeoutMs);
    }

    public WorkerConfig withBootstrapServers(String bootstrapServers) {
        return copy(b -> b.bootstrapServers = bootstrapServers);
    }

    public WorkerConfig withTopicPrefix(String topicPrefix) {
        return copy(b -> b.topicPrefix = topicPrefix);
    }

    public WorkerConfig withGroupId(String groupId) {
        return copy(b -> b.groupId = groupId);
    }

    public WorkerConfig withTier(Tier tier, TierConfig config) {
        return copy(b -> {
            if (tier == Tier.STRONG) {
                b.strong = config;
            } else {
                b.weak = config;
            }
        });
    }

    /**
     * Names the queues ({@code models:}): each takes prompts from topic {@code llm-queue-<name>}; the two tiers'
     * sections are dropped, as a file with {@code models:} has none.
     */
    public WorkerConfig withQueues(Map<String, TierConfig> queues) {
        return copy(b -> {
            b.models = queues;
            b.strong = null;
            b.weak = null;
        });
    }

    /** Adds or replaces the price of {@code model}. */
    public WorkerConfig withPrice(String model, ModelPrice price) {
        return copy(b -> {
            Map<String, ModelPrice> updated = new LinkedHashMap<>(prices);
            updated.put(model, price);
            b.prices = updated;
        });
    }

    public WorkerConfig withCommitIntervalMs(long commitIntervalMs) {
        return copy(b -> b.commitIntervalMs = commitIntervalMs);
    }

    public WorkerConfig withShutdownTimeoutMs(long shutdownTimeoutMs) {
        return copy(b -> b.shutdownTimeoutMs = shutdownTimeoutMs);
    }

    public WorkerConfig withInstanceId(String instanceId) {
        return copy(b -> b.instanceId = instanceId);
    }

    public WorkerConfig withMetricsPort(int metricsPort) {
        return copy(b -> b.metricsPort = metricsPort);
    }

    public WorkerConfig withBrokerTimeoutMs(long brokerTimeoutMs) {
        return copy(b -> b.brokerTimeoutMs = brokerTimeoutMs);
    }

    /**
     * How every client of the process reaches the cluster: the bootstrap servers and the connection settings of
     * {@code kafka}, with the config providers a secret among them may be read through (e.g. {@code ${file:...}}).
     */
    public KafkaConnection connection() {
        Map<String, String> properties = new LinkedHashMap<>();
        kafka.forEach((name, value) -> {
            if (KafkaConnection.isConnectionSetting(name) || name.startsWith("config.providers")) {
                properties.put(name, value);
            }
        });
        properties.put("bootstrap.servers", bootstrapServers);
        return new KafkaConnection(properties);
    }

    public WorkerConfig withKafkaProperty(String name, String value) {
        return copy(b -> {
            Map<String, String> updated = new LinkedHashMap<>(kafka);
            updated.put(name, value);
            b.kafka = updated;
        });
    }

    /**
     * Checks the values, and that every queue's model has a price: a missing price would report every call as free, so
     * it fails here rather than skewing the cost figures silently.
     *
     * @throws IllegalArgumentException listing every problem
     */
    public WorkerConfig validate() {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add("bootstrap_servers is required");
        }
        if (groupId == null || groupId.isBlank()) {
            problems.add("group_id is required");
        }
        if (commitIntervalMs < 1) {
            problems.add("commit_interval_ms must be >= 1, got " + commitIntervalMs);
        }
        if (shutdownTimeoutMs < 0) {
            problems.add("shutdown_timeout_ms must be >= 0, got " + shutdownTimeoutMs);
        }
        if (brokerTimeoutMs < 1) {
            problems.add("broker_timeout_ms must be >= 1, got " + brokerTimeoutMs);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            problems.add("metrics_port must be -1 (off), 0 (any free port) or a port, got " + metricsPort);
        }
        problems.addAll(QueueChecks.problems(this));
        prices.forEach((model, price) -> {
            if (price == null || !isPrice(price.inputPerMillion()) || !isPrice(price.outputPerMillion())) {
                problems.add("prices." + model + " needs input_per_million and output_per_million from 0 to "
                        + (long) MAX_PRICE_PER_MILLION);
            }
        });
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            problems.addAll(KafkaClientSettings.problems(this));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }

    private static boolean isPrice(double perMillion) {
        return perMillion >= 0 && perMillion <= MAX_PRICE_PER_MILLION; // false for NaN too
    }

    private interface Edit {
        void apply(Builder builder);
    }

    private static final class Builder {
        String bootstrapServers;
        String topicPrefix;
        String groupId;
        TierConfig strong;
        TierConfig weak;
        Map<String, TierConfig> models;
        Map<String, ModelPrice> prices;
        long commitIntervalMs;
        long shutdownTimeoutMs;
        Map<String, String> kafka;
        String instanceId;
        int metricsPort;
        long brokerTimeoutMs;

        Builder(WorkerConfig c) {
            bootstrapServers = c.bootstrapServers;
            topicPrefix = c.topicPrefix;
            groupId = c.groupId;
            strong = c.strong;
            weak = c.weak;
            models = c.models;
            prices = c.prices;
            commitIntervalMs = c.commitIntervalMs;
            shutdownTimeoutMs = c.shutdownTimeoutMs;
            kafka = c.kafka;
            instanceId = c.instanceId;
            metricsPort = c.metricsPort;
            brokerTimeoutMs = c.brokerTimeoutMs;
        }
    }
}
