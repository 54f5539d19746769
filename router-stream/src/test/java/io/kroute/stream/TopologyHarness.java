package io.kroute.stream;

import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Topics;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The routing topology of a policy on a {@link TopologyTestDriver}, with its input topic and its three outputs. */
final class TopologyHarness implements AutoCloseable {

    static final Topics TOPICS = Topics.DEFAULT;

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> prompts;
    final TestOutputTopic<String, RoutedPrompt> strong;
    final TestOutputTopic<String, RoutedPrompt> weak;
    final TestOutputTopic<String, DeadLetter> deadLetters;

    TopologyHarness(RoutingPolicy policy) {
        this(policy, Batching.NONE);
    }

    TopologyHarness(RoutingPolicy policy, Batching batching) {
        this(policy, RoutingOptions.SIMPLE.withBatching(batching));
    }

    TopologyHarness(RoutingPolicy policy, RoutingOptions options) {
        driver = new TopologyTestDriver(
                RouterTopology.build(new StreamsBuilder(), TOPICS, policy, RouterMetrics.noop(), options),
                RouterTopology.config(new Properties()));
        prompts = driver.createInputTopic(
                TOPICS.prompts().name(),
                Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        strong = driver.createOutputTopic(
                TOPICS.strongQueue().name(),
                Serdes.String().deserializer(),
                TOPICS.strongQueue().valueSerde().deserializer());
        weak = driver.createOutputTopic(
                TOPICS.weakQueue().name(),
                Serdes.String().deserializer(),
                TOPICS.weakQueue().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(
                TOPICS.deadLetters().name(),
                Serdes.String().deserializer(),
                TOPICS.deadLetters().valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
