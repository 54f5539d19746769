package io.kroute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes or JSON a producer writes, the router-stream turns each record into exactly one outcome (a routed
 * prompt or a dead letter) and never stops.
 */
class FuzzedRecordsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC);

    private static TopologyHarness harness() {
        return new TopologyHarness(
                new RoutingPolicy(new FixedRouter(), 0.5, "big", "small", CLOCK),
                new RoutingOptions("fuzz", Batching.NONE, PromptLimits.DEFAULT, Duration.ofHours(1)));
    }

    private static int outcomes(TopologyHarness harness) {
        return harness.strong.readValuesToList().size()
                + harness.weak.readValuesToList().size()
                + harness.deadLetters.readValuesToList().size();
    }

    @Property(tries = 300)
    void random_bytes_give_one_outcome_each(@ForAll @Size(max = 5) java.util.List<byte[]> values) {
        try (TopologyHarness harness = harness()) {
            for (byte[] value : values) {
                harness.prompts.pipeInput("k".getBytes(StandardCharsets.UTF_8), value);
            }
            assertThat(outcomes(harness)).isEqualTo(values.size());
        }
    }

    @Property(tries = 300)
    void random_json_gives_one_outcome_each(@ForAll("json") String json) {
        try (TopologyHarness harness = harness()) {
            harness.prompts.pipeInput("k".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
            harness.prompts.pipeInput("k2".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
            assertThat(outcomes(harness)).isEqualTo(2);
        }
    }

    /** Prompt-request-shaped JSON with random types, values and missing or extra fields. */
    @Provide
    Arbitrary<String> json() {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings()
                        .ofMaxLength(20)
                        .map(s -> '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"'),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "1e309", "-0", "\"\\ud800\""));
        Arbitrary<String> message = Arbitraries.oneOf(
                scalar,
                scalar.tuple2().map(t -> "{\"role\":" + t.get1() + ",\"content\":" + t.get2() + "}"),
                Arbitraries.of("{\"role\":\"user\",\"content\":\"hi\"}"));
        Arbitrary<String> messages = message.list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]");
        return Arbitraries.oneOf(scalar, messages, scalar.list().ofMaxSize(3).map(Object::toString))
                .tuple3()
                .map(t -> "{\"id\":" + t.get1() + ",\"messages\":" + t.get2() + ",\"max_tokens\":" + t.get3() + "}");
    }
}
