package io.kroute.schemas;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the system. Keys are request ids (router models are keyed by channel). A prefix lets several
 * pipelines, or several tests, share one cluster.
 */
public record Topics(
        String prefix,
        Topic<String, PromptRequest> prompts,
        Topic<String, RoutedPrompt> strongQueue,
        Topic<String, RoutedPrompt> weakQueue,
        Topic<String, LlmResponse> responses,
        Topic<String, Feedback> feedback,
        Topic<String, LabeledPrompt> labeledPrompts,
        Topic<String, DeadLetter> deadLetters,
        Topic<String, RouterModel> routerModels) {

    public static final String PROMPTS = "llm-prompts";
    public static final String QUEUE_PREFIX = "llm-queue-";
    public static final String STRONG_QUEUE = "llm-queue-strong";
    public static final String WEAK_QUEUE = "llm-queue-weak";
    public static final String RESPONSES = "llm-responses";
    public static final String FEEDBACK = "llm-feedback";
    public static final String LABELED_PROMPTS = "llm-labeled-prompts";
    public static final String DEAD_LETTERS = "llm-dead-letters";
    public static final String ROUTER_MODELS = "router-models";

    public static final Topics DEFAULT = withPrefix("");

    /** The registry with every name prefixed, e.g. {@code "it-42-"} gives {@code it-42-llm-prompts}. */
    public static Topics withPrefix(String prefix) {
        Serde<String> keys = Serdes.String();
        Serde<RoutedPrompt> routed = new JsonSerde<>(Codecs.ROUTED_PROMPT);
        return new Topics(
                prefix,
                new Topic<>(prefix + PROMPTS, keys, new JsonSerde<>(Codecs.PROMPT_REQUEST)),
                new Topic<>(prefix + STRONG_QUEUE, keys, routed),
                new Topic<>(prefix + WEAK_QUEUE, keys, routed),
                new Topic<>(prefix + RESPONSES, keys, new JsonSerde<>(Codecs.LLM_RESPONSE)),
                new Topic<>(prefix + FEEDBACK, keys, new JsonSerde<>(Codecs.FEEDBACK)),
                new Topic<>(prefix + LABELED_PROMPTS, keys, new JsonSerde<>(Codecs.LABELED_PROMPT)),
                new Topic<>(prefix + DEAD_LETTERS, keys, new JsonSerde<>(Codecs.DEAD_LETTER)),
                new Topic<>(prefix + ROUTER_MODELS, keys, new JsonSerde<>(Codecs.ROUTER_MODEL)));
    }

    public Topic<String, RoutedPrompt> queue(Tier tier) {
        return tier == Tier.STRONG ? strongQueue : weakQueue;
    }

    /** What a model's queue may be called: lower case, digits and dashes, so its topic name is always legal. */
    public static final String QUEUE_NAME = "[a-z0-9][a-z0-9-]{0,47}";

    private static final java.util.regex.Pattern QUEUE_PATTERN = java.util.regex.Pattern.compile(QUEUE_NAME);

    public static boolean isQueueName(String name) {
        return name != null && QUEUE_PATTERN.matcher(name).matches();
    }

    /**
     * The queue of one model with more than two models, {@code <prefix>llm-queue-<name>}; {@code strong} and
     * {@code weak} are today's two queues.
     */
    public Topic<String, RoutedPrompt> queue(String name) {
        if (!isQueueName(name)) {
            throw new IllegalArgumentException("queue name must match " + QUEUE_NAME + ", got '" + name + "'");
        }
        if (name.equals(Tier.STRONG.wireName())) {
            return strongQueue;
        }
        if (name.equals(Tier.WEAK.wireName())) {
            return weakQueue;
        }
        return new Topic<>(prefix + QUEUE_PREFIX + name, strongQueue.keySerde(), strongQueue.valueSerde());
    }

    /**
     * Every queue topic of this prefix, whatever the deployment's models: {@code strong} and {@code weak} with two, one
     * per model's queue with more. For a reader that must follow all of them (the feedback join).
     */
    public java.util.regex.Pattern queues() {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix + QUEUE_PREFIX) + QUEUE_NAME);
    }

    public List<Topic<?, ?>> all() {
        return List.of(prompts, strongQueue, weakQueue, responses, feedback, labeledPrompts, deadLetters, routerModels);
    }
}
