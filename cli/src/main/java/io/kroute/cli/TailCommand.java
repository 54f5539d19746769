package io.kroute.cli;

import io.kroute.schemas.KafkaClientConfigs;
import io.kroute.schemas.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        versionProvider = KrouteVersion.class,
        description = {
            "Follow the outcomes of prompts (responses and dead letters) as a read_committed consumer sees them.",
            "Starts at the end (new outcomes only) unless --from-beginning; runs until Ctrl-C, --count, --ids or "
                    + "--timeout-s ends it.",
            "Exit status: 0 done, 1 --timeout-s passed before every --ids id (or --count outcomes) was seen, "
                    + "2 nothing read (bad usage, unreadable ids, Kafka unreachable)."
        })
final class TailCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from-beginning", description = "Read the topics from their first record.")
    boolean fromBeginning;

    @Option(
            names = "--ids",
            paramLabel = "FILE",
            description = "Show only these request ids (one a line, - for standard input) and stop when each has an "
                    + "outcome. Add --from-beginning if some may be answered already.")
    String idsFile;

    @Option(
            names = "--count",
            paramLabel = "N",
            converter = PositiveInteger.class,
            description = "Stop after N outcomes.")
    Integer count;

    @Option(
            names = "--timeout-s",
            paramLabel = "S",
            converter = PositiveInteger.class,
            description = "Give up after S seconds.")
    Integer timeoutS;

    @Option(
            names = "--json",
            description = "Print each outcome's JSON value as written, one a line, instead of the readable form.")
    boolean json;

    private PrintWriter out;
    private PrintWriter err;
    private String responsesTopic;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        Set<String> expected = null;
        if (idsFile != null) {
            try {
                expected = readIds();
            } catch (IOException e) {
                err.println("tail: cannot read " + idsFile + ": " + e.getClass().getSimpleName());
                return ExitCodes.CANNOT_START;
            }
            if (expected.isEmpty()) {
                err.println("tail: no ids in " + idsFile);
                return ExitCodes.CANNOT_START;
            }
        }
        Topics topics = kafka.topics();
        responsesTopic = topics.responses().name();
        List<String> names = List.of(responsesTopic, topics.deadLetters().name());
        Optional<String> problem = kafka.preflight(names);
        if (problem.isPresent()) {
            err.println("tail: " + problem.get());
            return ExitCodes.CANNOT_START;
        }
        KafkaConsumer<String, byte[]> consumer = OutcomeConsumer.open(
                kafka.clientConfig(KafkaClientConfigs.committedReader(kafka.bootstrapServers)),
                names,
                fromBeginning,
                Duration.ofSeconds(kafka.connectTimeoutS));
        // Ctrl-C wakes the consumer out of its poll, then waits for the consumer to be closed before the JVM exits.
        CountDownLatch closed = new CountDownLatch(1);
        OnShutdown ctrlC = new OnShutdown(() -> {
            consumer.wakeup();
            awaitQuietly(closed);
        });
        try {
            return follow(consumer, expected);
        } finally {
            ctrlC.remove();
            consumer.close(CloseOptions.timeout(CLOSE_WAIT));
            closed.countDown();
        }
    }

    /** Prints outcomes until the ids all have one, the count is reached, time is up or Ctrl-C wakes the consumer. */
    private int follow(KafkaConsumer<String, byte[]> consumer, Set<String> expected) {
        Set<String> missing = expected == null ? new HashSet<>() : new HashSet<>(expected);
        long deadline = timeoutS == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        int seen = 0;
        try {
            while (!done(expected, missing, seen)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return gaveUp(expected, missing, seen);
                }
                Duration wait = Duration.ofNanos(Math.min(left, POLL.toNanos()));
                for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
                    TailedRecord tailed = TailedRecord.read(record, responsesTopic);
                    if (expected != null && !expected.contains(tailed.requestId())) {
                        continue;
                    }
                    print(tailed);
                    if (tailed.isOutcome()) {
                        seen++;
                        missing.remove(tailed.requestId());
                    }
                    if (done(expected, missing, seen)) {
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            if (expected != null && !missing.isEmpty()) {
                err.println("tail: stopped; " + missing.size() + " of " + expected.size() + " ids have no outcome");
            }
            return ExitCodes.OK;
        }
        if (expected != null) {
            err.println("tail: all " + expected.size() + " ids have an outcome");
        }
        return ExitCodes.OK;
    }

    private boolean done(Set<String> expected, Set<String> missing, int seen) {
        return (expected != null && missing.isEmpty()) || (count != null && seen >= count);
    }

    private int gaveUp(Set<String> expected, Set<String> missing, int seen) {
        String after = "tail: gave up after " + timeoutS + " s; ";
        if (expected != null) {
            err.println(after + missing.size() + " of " + expected.size() + " ids have no outcome");
            return ExitCodes.INCOMPLETE;
        }
        if (count != null) {
            err.println(after + "saw " + seen + " of " + count + " outcomes");
            return ExitCodes.INCOMPLETE;
        }
        return ExitCodes.OK;
    }

    private void print(TailedRecord tailed) {
        if (!json) {
            out.println(OutcomeFormatter.pretty(tailed));
        } else if (tailed.isOutcome()) {
            out.println(OutcomeFormatter.json(tailed));
        } else {
            // stdout stays valid JSON lines; what cannot be read is said on stderr
            err.println("tail: " + OutcomeFormatter.unreadable(tailed));
        }
        out.flush();
    }

    private Set<String> readIds() throws IOException {
        try (BufferedReader reader = "-".equals(idsFile)
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(idsFile), StandardCharsets.UTF_8)) {
            Set<String> ids = new LinkedHashSet<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
            return ids;
        }
    }

    private static void awaitQuietly(CountDownLatch closed) {
        try {
            closed.await(CLOSE_WAIT.toSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
