package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.router.RouterLoader;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamApp;
import io.kroute.stream.RouterStreamSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The router-stream's load command ({@code ops/load-router.sh}): real GSM8K and MMLU prompts queued on a local
 * broker, then the router-stream (exactly-once, in this JVM) routes them all, once with the router's card threshold
 * and once calibrating on traffic ({@code --rounds N}: N such pairs, in one JVM, so later rounds run warmer). Prints prompts routed per second over the steady part of each run (from the 10th
 * to the 90th percentile of routed prompts), the wall time from start to the last prompt, and the share sent to
 * strong; exits 1 if a prompt was lost or routed twice.
 *
 * <pre>
 * LoadRouterMain [--prompts N] [--router REF] [--partitions N] [--threads N] [--strong-pct P] [--rounds N]
 * </pre>
 */
public final class LoadRouterMain {

    private LoadRouterMain() {}

    record Run(
            int round,
            String calibration,
            int prompts,
            double routedPerS,
            double wallS,
            double strongShare,
            int duplicates,
            int missing) {}

    public static void main(String[] args) throws Exception {
        int prompts = 20_000;
        String routerReference = "default";
        int partitions = 4;
        int threads = 2;
        double strongPct = 50;
        int rounds = 1;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--prompts" -> prompts = DemoOptions.intIn(args[i], value, 1, Integer.MAX_VALUE);
                    case "--router" -> routerReference = value;
                    case "--partitions" -> partitions = DemoOptions.intIn(args[i], value, 1, Integer.MAX_VALUE);
                    case "--threads" -> threads = DemoOptions.intIn(args[i], value, 1, Integer.MAX_VALUE);
                    case "--strong-pct" -> strongPct = DemoOptions.doubleIn(args[i], value, 0, 100);
                    case "--rounds" -> rounds = DemoOptions.intIn(args[i], value, 1, Integer.MAX_VALUE);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: ops/load-router.sh [--prompts N] [--router REF] [--partitions N]"
                            + " [--threads N] [--strong-pct P] [--rounds N]");
                }
            }
            RouterLoader.load(routerReference).close(); // a bad reference fails here, before a broker starts
        } catch (IllegalArgumentException e) {
            System.err.println("load-router: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<String> texts = new ArrayList<>();
        ReplayDataset dataset = ReplayDataset.loadBundled();
        for (String benchmark : List.of("gsm8k", "mmlu")) {
            dataset.items(benchmark).stream().map(ReplayItem::prompt).forEach(texts::add);
        }
        List<Run> runs = new ArrayList<>();
        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            log("broker " + broker.bootstrapServers() + "; " + prompts + " prompts drawn from " + texts.size()
                    + " GSM8K and MMLU prompts, router " + routerReference + ", " + partitions + " partitions, "
                    + threads + " stream threads");
            for (int round = 1; round <= rounds; round++) {
                for (String calibration : List.of("card", "traffic")) {
                    runs.add(run(
                            broker.bootstrapServers(),
                            calibration,
                            round,
                            texts,
                            prompts,
                            routerReference,
                            partitions,
                            threads,
                            strongPct / 100));
                }
            }
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "| %5s | %-11s | %7s | %10s | %7s | %12s | %5s | %7s |%n",
                "round",
                "calibration",
                "prompts",
                "routed/s",
                "wall s",
                "strong share",
                "dupes",
                "missing");
        for (Run r : runs) {
            System.out.printf(
                    Locale.ROOT,
                    "| %5d | %-11s | %7d | %10.0f | %7.1f | %11.1f%% | %5d | %7d |%n",
                    r.round(),
                    r.calibration(),
                    r.prompts(),
                    r.routedPerS(),
                    r.wallS(),
                    100 * r.strongShare(),
                    r.duplicates(),
                    r.missing());
        }
        System.exit(runs.stream().allMatch(r -> r.missing() == 0 && r.duplicates() == 0) ? 0 : 1);
    }

    private static Run run(
            String bootstrap,
            String calibration,
            int round,
            List<String> texts,
            int prompts,
            String routerReference,
            int partitions,
            int threads,
            double strongShare)
            throws Exception {
        Topics topics = Topics.withPrefix("load-router-" + calibration + "-" + round + "-");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.createAll(admin, topics, partitions, (short) 1);
            LoadWorkersMain.awaitLeaders(admin, topics);
        }
        Set<String> ids = produce(bootstrap, topics, texts, prompts);
        RouterStreamSettings settings = Pipeline.streamSettings(
                bootstrap,
                topics,
                Map.of(
                        RouterStreamSettings.ROUTER,
                        routerReference,
                        RouterStreamSettings.STRONG_SHARE,
                        Double.toString(strongShare),
                        RouterStreamSettings.CALIBRATION,
                        calibration,
                        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                        Integer.toString(threads)));
        log(calibration + ": " + prompts + " prompts queued, starting the router-stream");
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        int strong = 0;
        long start;
        long lowAt = -1;
        long highAt = -1;
        int low = prompts / 10;
        int high = prompts * 9 / 10;
        try (KafkaConsumer<String, byte[]> consumer = readCommitted(bootstrap);
                RouterStreamApp app = RouterStreamApp.start(settings)) {
            consumer.subscribe(
                    List.of(topics.strongQueue().name(), topics.weakQueue().name()));
            start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(900);
            while (seen.size() < prompts && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    RoutedPrompt routed = Codecs.ROUTED_PROMPT.decode(record.value());
                    if (!seen.add(routed.request().id())) {
                        duplicates++;
                        continue;
                    }
                    strong += routed.decision().tier() == Tier.STRONG ? 1 : 0;
                    if (lowAt < 0 && seen.size() >= low) {
                        lowAt = System.nanoTime();
                    }
                    if (highAt < 0 && seen.size() >= high) {
                        highAt = System.nanoTime();
                    }
                }
            }
            double wallS = (System.nanoTime() - start) / 1e9;
            seen.retainAll(ids);
            Run run = new Run(
                    round,
                    calibration,
                    prompts,
                    highAt < 0 ? Double.NaN : (high - low) / ((highAt - lowAt) / 1e9),
                    wallS,
                    seen.isEmpty() ? Double.NaN : strong / (double) seen.size(),
                    duplicates,
                    ids.size() - seen.size());
            log(calibration + ": " + run);
            return run;
        }
    }

    private static Set<String> produce(String bootstrap, Topics topics, List<String> texts, int prompts) {
        Set<String> ids = new HashSet<>();
        try (KafkaProducer<String, byte[]> producer = BulkProducer.open(bootstrap)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < prompts; i++) {
                String id = "load-" + i;
                // every 7th text: GSM8K and MMLU interleaved, wrapping around
                String text = texts.get((int) ((7L * i) % texts.size()));
                PromptRequest request =
                        new PromptRequest(id, "load", List.of(ChatMessage.user(text)), 64, Map.of(), null, now);
                producer.send(new ProducerRecord<>(topics.prompts().name(), id, Codecs.PROMPT_REQUEST.encode(request)));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    private static KafkaConsumer<String, byte[]> readCommitted(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "load-router-check-" + System.nanoTime(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static void log(String message) {
        System.err.println("[load-router] " + message);
    }
}
