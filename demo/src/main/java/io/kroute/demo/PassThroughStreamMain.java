package io.kroute.demo;

import io.kroute.runtime.ComponentMain;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterTopology;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The load command's baseline: a Kafka Streams app that copies the prompts topic to the weak queue byte for byte, with
 * the router-stream's exactly-once settings ({@link RouterTopology#config}) and nothing else (no parsing, no scoring),
 * so the load table shows what Kafka Streams itself costs on this machine beside what routing adds.
 *
 * <pre>PassThroughStreamMain --config FILE.properties   (Kafka Streams keys, plus kroute.topic-prefix)</pre>
 */
public final class PassThroughStreamMain {

    private PassThroughStreamMain() {}

    public static void main(String[] args) {
        ComponentMain.run("pass-through", () -> {
            if (args.length != 2 || !args[0].equals("--config")) {
                throw new IllegalArgumentException("usage: pass-through --config <file.properties>");
            }
            Properties file = PropertiesConfig.read(Path.of(args[1]));
            Topics topics = Topics.withPrefix(file.getProperty("kroute.topic-prefix", ""));
            Properties streams = PropertiesConfig.copy(file);
            streams.remove("kroute.topic-prefix");
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(
                            topics.prompts().name(),
                            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName("prompts-source"))
                    .to(
                            topics.weakQueue().name(),
                            Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName("weak-queue-sink"));
            KafkaStreams app = new KafkaStreams(builder.build(), RouterTopology.config(streams));
            app.start();
            return () -> app.close(java.time.Duration.ofSeconds(30));
        });
    }
}
