package io.kroute.demo;

import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.router.RouterLoader;
import io.kroute.runtime.PropertiesConfig;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.runtime.Usage;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.stream.RouterStreamSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
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

/**
 * The router-stream's load command ({@code ops/load-router.sh}), in one run on one machine:
 *
 * <ol>
 *   <li>the router's own rate from its JMH benchmark (batched, as a batching stream can use it, and one prompt at a
 *       time), before anything else runs;
 *   <li>a local broker, then on it, each reading the same queued prompts with the same exactly-once settings: a
 *       pass-through Kafka Streams app (no parsing, no scoring: Kafka Streams' own floor), the router-stream with the
 *       random router (the stream's cost without a model), and the router-stream with the router under test, with its
 *       card threshold and calibrating on traffic.
 * </ol>
 *
 * Each stream is the deployed {@code main} in a child JVM started from the reference file, so its peak resident memory
 * is its own. Prints a table: prompts routed per second over the steady part of each run (from the 10th to the 90th
 * percentile of routed prompts), its ratio to the router's batched JMH rate, the strong share, lost and duplicated
 * prompts, and peak RSS. Exits 1 if a prompt was lost or routed twice.
 *
 * <pre>
 * LoadRouterMain [--prompts N] [--router REF] [--partitions N] [--threads N] [--strong-pct P] [--heap SIZE] [--skip-jmh]
 * </pre>
 */
public final class LoadRouterMain {

    static final String USAGE = "usage: ops/load-router.sh [--prompts N] [--router REF] [--partitions N] [--threads N]"
            + " [--strong-pct P] [--heap SIZE (-Xmx of each stream, default 384m)] [--warmup N (default 10000)]"
            + " [--rounds N] [--set KEY=VALUE ...]"
            + " [--skip-jmh]";

    private LoadRouterMain() {}

    /** One stream run: what ran, and what it did. */
    record Run(
            String stream,
            int prompts,
            double routedPerS,
            double wallS,
            double strongShare,
            int duplicates,
            int missing,
            double peakRssMib) {}

    /** The command line. */
    record Options(
            int prompts,
            String router,
            int partitions,
            int threads,
            double strongShare,
            String heap,
            int warmup,
            int rounds,
            Map<String, String> settings,
            boolean skipJmh) {}

    public static void main(String[] args) throws Exception {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        Options options;
        try {
            options = parse(args);
            RouterLoader.load(options.router()).close(); // a bad reference fails here, before a broker starts
        } catch (IllegalArgumentException e) {
            System.err.println("load-router: " + e.getMessage());
            System.exit(2);
            return;
        }
        RouterJmh jmh = null;
        if (!options.skipJmh()) {
            log("JMH: router " + options.router() + " alone, batched and one prompt at a time (about a minute) ...");
            jmh = RouterJmh.measure(options.router());
        }
        List<String> texts = new ArrayList<>();
        ReplayDataset dataset = ReplayDataset.loadBundled();
        for (String benchmark : List.of("gsm8k", "mmlu")) {
            dataset.items(benchmark).stream().map(ReplayItem::prompt).forEach(texts::add);
        }
        Path dir = Files.createDirectories(Path.of("target", "load-router"));
        List<Run> runs = new ArrayList<>();
        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            log("broker " + broker.bootstrapServers() + "; " + options.prompts() + " prompts drawn from "
                    + texts.size() + " GSM8K and MMLU prompts, " + options.partitions() + " partitions, "
                    + options.threads() + " stream threads, -Xmx" + options.heap() + " per stream");
            runs.add(run(broker.bootstrapServers(), "pass-through", options, texts, dir, null));
            runs.add(run(
                    broker.bootstrapServers(),
                    "kroute, random router",
                    options,
                    texts,
                    dir,
                    Map.of(RouterStreamSettings.ROUTER, "random")));
            for (int round = 1; round <= options.rounds(); round++) {
                for (String calibration : List.of("card", "traffic")) {
                    Map<String, String> routing = new HashMap<>(options.settings());
                    routing.put(RouterStreamSettings.ROUTER, options.router());
                    routing.put(RouterStreamSettings.CALIBRATION, calibration);
                    String name = "kroute, " + options.router() + ", " + calibration
                            + (options.rounds() > 1 ? " #" + round : "");
                    runs.add(run(broker.bootstrapServers(), name, options, texts, dir, routing));
                }
            }
        }
        System.out.println();
        System.out.print(table(options, jmh, runs));
        System.exit(runs.stream().allMatch(r -> r.missing() == 0 && r.duplicates() == 0) ? 0 : 1);
    }

    static String table(Options options, RouterJmh jmh, List<Run> runs) {
        StringBuilder out = new StringBuilder();
        if (jmh != null) {
            out.append(String.format(
                    Locale.ROOT,
                    "router %s alone (JMH, on the same prompts): %.0f ± %.0f prompts/s batched 64 at a time on one"
                            + " thread, %.0f on two threads; %.0f prompts/s one at a time%n",
                    options.router(),
                    jmh.batchedPerSecond(),
                    jmh.batchedError(),
                    jmh.batchedTwoThreadsPerSecond(),
                    jmh.singlePerSecond()));
        }
        out.append(String.format(
                Locale.ROOT,
                "| %-32s | %7s | %10s | %14s | %14s | %7s | %12s | %5s | %7s | %13s |%n",
                "stream",
                "prompts",
                "routed/s",
                "vs JMH 1 thr",
                "vs JMH 2 thr",
                "wall s",
                "strong share",
                "dupes",
                "missing",
                "peak RSS MiB"));
        for (Run r : runs) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %-32s | %7d | %10.0f | %14s | %14s | %7.1f | %12s | %5d | %7d | %13.0f |%n",
                    r.stream(),
                    r.prompts(),
                    r.routedPerS(),
                    ratio(r.routedPerS(), jmh == null ? Double.NaN : jmh.batchedPerSecond()),
                    ratio(r.routedPerS(), jmh == null ? Double.NaN : jmh.batchedTwoThreadsPerSecond()),
                    r.wallS(),
                    Double.isNaN(r.strongShare()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.strongShare()),
                    r.duplicates(),
                    r.missing(),
                    r.peakRssMib()));
        }
        return out.toString();
    }

    private static String ratio(double rate, double jmh) {
        return Double.isNaN(jmh) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * rate / jmh);
    }

    /**
     * Queues the prompts on fresh topics, starts the stream as a child JVM, and counts what reaches the queues.
     *
     * @param routing router-stream keys on top of the reference file; null runs the pass-through app instead
     */
    private static Run run(
            String bootstrap, String name, Options options, List<String> texts, Path dir, Map<String, String> routing)
            throws Exception {
        String tag = name.replaceAll("[^a-z0-9]+", "-");
        Topics topics = Topics.withPrefix(
                "load-" + tag + "-" + UUID.randomUUID().toString().substring(0, 6) + "-");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.createAll(admin, topics, options.partitions(), (short) 1);
            LoadWorkersMain.awaitLeaders(admin, topics);
        }
        int total = options.warmup() + options.prompts();
        Set<String> ids = produce(bootstrap, topics, texts, total);
        Map<String, String> overrides = new HashMap<>();
        overrides.put("bootstrap.servers", bootstrap);
        overrides.put("application.id", "load-" + tag + "-" + UUID.randomUUID());
        overrides.put(
                "state.dir",
                Files.createTempDirectory(dir.toAbsolutePath(), "state-").toString());
        overrides.put("num.stream.threads", Integer.toString(options.threads()));
        overrides.put(RouterStreamSettings.TOPIC_PREFIX, topics.prefix());
        Properties config;
        ComponentProcess stream;
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + options.heap()));
        // e.g. -XX:StartFlightRecording=filename=stream.jfr to profile a stream where it runs
        String extra = System.getenv("KROUTE_STREAM_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        String[] heap = jvm.toArray(String[]::new);
        if (routing == null) {
            config = new Properties();
            overrides.forEach(config::setProperty);
            stream = ComponentProcess.passThrough(config, dir.toAbsolutePath(), tag, heap);
        } else {
            overrides.put(RouterStreamSettings.METRICS_PORT, "-1");
            overrides.put(RouterStreamSettings.STRONG_SHARE, Double.toString(options.strongShare()));
            overrides.putAll(routing);
            config = PropertiesConfig.overridden(
                    PropertiesConfig.read(ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM)), overrides);
            RouterStreamSettings.fromProperties(config);
            stream = ComponentProcess.routerStream(config, dir.toAbsolutePath(), tag, heap);
        }
        log(name + ": " + total + " prompts queued (" + options.warmup() + " to warm up), stream started (log "
                + stream.log() + ")");
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        int strong = 0;
        int decided = 0;
        long lowAt = -1;
        long highAt = -1;
        // The rate is taken once the JIT has compiled the hot paths (JMH measures after its warm-up too), and before
        // the last partitions run dry.
        int low = options.warmup() + options.prompts() / 20;
        int high = options.warmup() + options.prompts() * 19 / 20;
        long start;
        double peakRss;
        try (KafkaConsumer<String, byte[]> consumer = readCommitted(bootstrap)) {
            consumer.subscribe(
                    List.of(topics.strongQueue().name(), topics.weakQueue().name()));
            start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(900);
            while (seen.size() < total && System.nanoTime() < deadline && stream.isAlive()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    String id;
                    if (routing == null) {
                        id = record.key();
                    } else {
                        RoutedPrompt routed = Codecs.ROUTED_PROMPT.decode(record.value());
                        id = routed.request().id();
                        strong += routed.decision().tier() == Tier.STRONG ? 1 : 0;
                        decided++;
                    }
                    if (!seen.add(id)) {
                        duplicates++;
                        continue;
                    }
                    if (lowAt < 0 && seen.size() >= low) {
                        lowAt = System.nanoTime();
                    }
                    if (highAt < 0 && seen.size() >= high) {
                        highAt = System.nanoTime();
                    }
                }
            }
            peakRss = ProcessMemory.peakResidentMib(stream.pid());
        } finally {
            stream.terminate(60);
            stream.close();
        }
        double wallS = (System.nanoTime() - start) / 1e9;
        seen.retainAll(ids);
        Run run = new Run(
                name,
                total,
                highAt < 0 ? Double.NaN : (high - low) / ((highAt - lowAt) / 1e9),
                wallS,
                decided == 0 ? Double.NaN : strong / (double) decided,
                duplicates,
                ids.size() - seen.size(),
                peakRss);
        log(name + ": " + run);
        return run;
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

    static Options parse(String[] args) {
        int prompts = 20_000;
        String router = "default";
        int partitions = 4;
        int threads = 2;
        double strongPct = 50;
        String heap = "384m";
        int warmup = 10_000;
        int rounds = 1;
        Map<String, String> settings = new HashMap<>();
        boolean skipJmh = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--skip-jmh")) {
                skipJmh = true;
                continue;
            }
            try {
                DemoOptions.checkValued(
                        args,
                        i,
                        java.util.Set.of(
                                "--prompts",
                                "--router",
                                "--partitions",
                                "--threads",
                                "--strong-pct",
                                "--rounds",
                                "--warmup",
                                "--set",
                                "--heap"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "; " + USAGE, e);
            }
            String value = args[++i];
            switch (flag) {
                case "--prompts" -> prompts = DemoOptions.intIn(flag, value, 100, 10_000_000);
                case "--router" -> router = value;
                case "--partitions" -> partitions = DemoOptions.intIn(flag, value, 1, 1_000);
                case "--threads" -> threads = DemoOptions.intIn(flag, value, 1, 64);
                case "--strong-pct" -> strongPct = DemoOptions.doubleIn(flag, value, 0, 100);
                case "--rounds" -> rounds = DemoOptions.intIn(flag, value, 1, 20);
                case "--warmup" -> warmup = DemoOptions.intIn(flag, value, 0, 10_000_000);
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + value + "'");
                    }
                    settings.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "--heap" -> {
                    if (!value.matches("[0-9]+[mMgG]")) {
                        throw new IllegalArgumentException("--heap needs a size like 384m or 1g, got '" + value + "'");
                    }
                    heap = value;
                }
                default -> throw new IllegalArgumentException("unknown option " + flag + "; " + USAGE);
            }
        }
        return new Options(
                prompts, router, partitions, threads, strongPct / 100, heap, warmup, rounds, settings, skipJmh);
    }

    private static void log(String message) {
        System.err.println("[load-router] " + message);
    }
}
