package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.replay.FaultInjector;
import io.kroute.replay.FaultOptions;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayServer;
import io.kroute.replay.ReplayServerOptions;
import io.kroute.runtime.ReferenceConfig;
import io.kroute.runtime.TopicProvisioner;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.RoutedPrompt;
import io.kroute.schemas.RoutingDecision;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import io.kroute.workers.CircuitBreakerSettings;
import io.kroute.workers.TierConfig;
import io.kroute.workers.WorkerConfig;
import io.kroute.workers.WorkerConfigLoader;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proof: 10,000 prompts against providers failing 20% of calls with 500, 10% with 429 and 5% with a
 * timeout, the strong one down for 10 seconds; the worker process killed with SIGKILL halfway and started again; the
 * broker restarted. Every request id must end with exactly one outcome, as a read_committed consumer sees it.
 */
@Tag("integration")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class WorkerFaultToleranceIT {

    private static final int PROMPTS = 10_000;
    private static final int PARTITIONS = 4;

    @Test
    void everyRequestHasExactlyOneOutcomeThroughFaultsAKilledWorkerAndABrokerRestart() throws Exception {
        // given
        Path dir = Files.createTempDirectory("kroute-faults-it-");
        Vertx vertx = Vertx.vertx();
        try (LocalKafkaCluster broker = LocalKafkaCluster.start(Duration.ofSeconds(90))) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.withPrefix("faults-");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicProvisioner.createAll(admin, topics, PARTITIONS, (short) 1);
            }
            FaultOptions faults = FaultOptions.none()
                    .withServerError(0.20)
                    .withRateLimited(0.10, 1)
                    .withTimeout(0.05);
            ReplayDataset dataset = ReplayDataset.loadBundled();
            ReplayServer strongProvider = ReplayServer.deploy(
                            vertx,
                            dataset,
                            ReplayServerOptions.defaults()
                                    .withLatency(20, 20)
                                    .withFaults(faults.withSeed(1).withOutage(new FaultOptions.Outage(8_000, 10_000))))
                    .await(30, TimeUnit.SECONDS);
            ReplayServer weakProvider = ReplayServer.deploy(
                            vertx,
                            dataset,
                            ReplayServerOptions.defaults().withLatency(20, 20).withFaults(faults.withSeed(2)))
                    .await(30, TimeUnit.SECONDS);
            WorkerConfig config = workerConfig(bootstrap, topics, strongProvider.baseUrl(), weakProvider.baseUrl());
            Set<String> expected = produce(bootstrap, topics, dataset);

            try (OutcomeCollector collector = new OutcomeCollector(bootstrap, topics)) {
                // when
                ComponentProcess first = ComponentProcess.workers(config, dir, "worker-1", "-Xmx1g");
                int atKill = awaitOutcomes(collector, PROMPTS / 2, first);
                first.kill();
                ComponentProcess second = ComponentProcess.workers(config, dir, "worker-2", "-Xmx1g");
                int atBrokerRestart = awaitOutcomes(collector, PROMPTS * 3 / 4, second);
                broker.restart(Duration.ofSeconds(90));
                List<String> missing = collector.awaitAll(expected, Duration.ofSeconds(200), done -> {});
                collector.drain(Duration.ofSeconds(3));
                boolean stoppedGracefully = second.terminate(60);

                // then
                Map<String, Outcome> outcomes = collector.outcomes();
                Report report = Report.of(
                        outcomes,
                        strongProvider.faults().injected(),
                        weakProvider.faults().injected());
                System.out.printf(
                        Locale.ROOT,
                        "[faults-it] killed worker-1 at %d outcomes, restarted the broker at %d; %s%n",
                        atKill,
                        atBrokerRestart,
                        report);
                assertThat(missing).as("requests without an outcome").isEmpty();
                assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(collector.duplicates())
                        .as("requests with more than one outcome")
                        .isEmpty();
                assertThat(collector.unreadable()).isZero();
                assertThat(report.responses() + report.deadLetters()).isEqualTo(PROMPTS);
                assertThat(report.fallbacks())
                        .as("the strong outage was answered by the weak model")
                        .isPositive();
                assertThat(report.retries()).isPositive();
                assertThat(strongProvider.faults().injected().get(FaultInjector.Fault.OUTAGE))
                        .isPositive();
                assertThat(outcomes.values().stream().filter(o -> !o.answered()))
                        .allSatisfy(o -> assertThat(o.deadLetter().reason()).contains("failed after"));
                assertThat(stoppedGracefully)
                        .as("the second worker stops on SIGTERM")
                        .isTrue();
            }
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    static WorkerConfig workerConfig(String bootstrap, Topics topics, String strongUrl, String weakUrl) {
        WorkerConfig defaults = WorkerConfigLoader.load(ReferenceConfig.file(ReferenceConfig.WORKERS));
        // the breaker opens at 60% failures: the injected 25% of 5xx and timeouts leave it closed, the outage opens it
        CircuitBreakerSettings breaker = new CircuitBreakerSettings(60, 50, 20, 2_000);
        TierConfig strong = defaults.strong()
                .withBaseUrl(strongUrl)
                .withApiKeyEnv(null)
                .withProvider("replay-strong")
                .withMaxInFlight(400)
                .withRequestTimeoutMs(2_000)
                .withRetries(4, 100, 2_000)
                .withCircuitBreaker(breaker);
        TierConfig weak = defaults.weak()
                .withBaseUrl(weakUrl)
                .withApiKeyEnv(null)
                .withProvider("replay-weak")
                .withMaxInFlight(400)
                .withRequestTimeoutMs(2_000)
                .withRetries(4, 100, 2_000)
                .withCircuitBreaker(breaker);
        return defaults.withBootstrapServers(bootstrap)
                .withTopicPrefix(topics.prefix())
                .withGroupId("faults-it")
                .withInstanceId("faults-it-worker")
                .withMetricsPort(-1)
                .withCommitIntervalMs(200)
                .withShutdownTimeoutMs(20_000)
                .withTier(Tier.STRONG, strong)
                .withTier(Tier.WEAK, weak);
    }

    private static Set<String> produce(String bootstrap, Topics topics, ReplayDataset dataset) {
        List<io.kroute.replay.ReplayItem> items = dataset.items(ReplayDataset.GSM8K);
        Set<String> ids = new LinkedHashSet<>();
        try (KafkaProducer<String, byte[]> producer = BulkProducer.open(bootstrap)) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < PROMPTS; i++) {
                String id = "req-" + i;
                Tier tier = i % 2 == 0 ? Tier.STRONG : Tier.WEAK;
                PromptRequest request = new PromptRequest(
                        id,
                        "it",
                        List.of(ChatMessage.user(items.get(i % items.size()).prompt())),
                        256,
                        Map.of(),
                        null,
                        now);
                RoutedPrompt routed = new RoutedPrompt(
                        request,
                        new RoutingDecision(
                                tier,
                                tier == Tier.STRONG ? ReplayDataset.STRONG_MODEL : ReplayDataset.WEAK_MODEL,
                                0.5,
                                "random",
                                "random-1",
                                0.5,
                                false,
                                now));
                producer.send(new ProducerRecord<>(topics.queue(tier).name(), id, Codecs.ROUTED_PROMPT.encode(routed)));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    private static int awaitOutcomes(OutcomeCollector collector, int count, ComponentProcess worker)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (collector.count() < count) {
            assertThat(worker.isAlive())
                    .as("worker running, see " + worker.log())
                    .isTrue();
            assertThat(System.nanoTime()).as("%d outcomes in time", count).isLessThan(deadline);
            Thread.sleep(50);
        }
        return collector.count();
    }

    /** What the run went through, counted from the outcomes and the providers' fault counters. */
    record Report(
            int responses,
            int deadLetters,
            int fallbacks,
            long retries,
            Map<FaultInjector.Fault, Long> strongFaults,
            Map<FaultInjector.Fault, Long> weakFaults) {

        static Report of(
                Map<String, Outcome> outcomes,
                Map<FaultInjector.Fault, Long> strongFaults,
                Map<FaultInjector.Fault, Long> weakFaults) {
            int responses = 0;
            int fallbacks = 0;
            long retries = 0;
            for (Outcome outcome : outcomes.values()) {
                if (outcome.answered()) {
                    responses++;
                    fallbacks += outcome.response().status() == ResponseStatus.FALLBACK ? 1 : 0;
                    retries += outcome.response().attempts() - 1;
                }
            }
            return new Report(responses, outcomes.size() - responses, fallbacks, retries, strongFaults, weakFaults);
        }
    }
}
