package io.kroute.batch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.batch.job.BatchJob;
import io.kroute.batch.job.BatchStatus;
import io.kroute.batch.kafka.BatchTopics;
import io.kroute.schemas.ChatMessage;
import io.kroute.schemas.Codecs;
import io.kroute.schemas.DeadLetter;
import io.kroute.schemas.Json;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import io.kroute.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ledger's decisions, one event at a time (no broker): windows, settling, duplicates, cancels, budgets. */
class LedgerTopologyTest {

    private static final Topics PIPELINE = Topics.withPrefix("t-");
    private static final BatchTopics BATCH = new BatchTopics("t-", 1);
    private static final Prices PRICES = new Prices(new Prices.Price(10, 30), new Prices.Price(0.6, 0.6), 100);

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> responses;
    private TestInputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> prompts;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(int window) {
        Topology topology = LedgerTopology.build(
                new StreamsBuilder(),
                PIPELINE,
                BATCH,
                new LedgerOptions(window, Duration.ofMillis(100), PRICES, Duration.ofHours(1)),
                LedgerMetrics.noop());
        Properties props = LedgerTopology.config(new Properties());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology, props);
        events = driver.createInputTopic(BATCH.events(), new StringSerializer(), new ByteArraySerializer());
        responses =
                driver.createInputTopic(PIPELINE.responses().name(), new StringSerializer(), new ByteArraySerializer());
        deadLetters = driver.createInputTopic(
                PIPELINE.deadLetters().name(), new StringSerializer(), new ByteArraySerializer());
        prompts = driver.createOutputTopic(
                PIPELINE.prompts().name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Test
    void a_job_is_fed_a_window_at_a_time_and_completes_when_every_request_has_ended() {
        // given
        start(2);
        submit("batch_a", JobSettings.DEFAULT, "q1", "q2", "q3");

        // when
        List<PromptRequest> first = feed();

        // then: two in flight, the third waits
        assertThat(first).hasSize(2);
        assertThat(job("batch_a").queued()).isEqualTo(1);
        answer(first.get(0), Tier.STRONG, 0.01);
        deadLetter(first.get(1), "provider failed");
        List<PromptRequest> second = feed();
        assertThat(second).hasSize(1);
        answer(second.get(0), Tier.WEAK, 0.001);

        JobState done = job("batch_a");
        assertThat(done.job().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.job().completed()).isEqualTo(2);
        assertThat(done.job().failed()).isEqualTo(1);
        assertThat(done.spentUsd()).isEqualTo(0.011, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(done.strong()).isEqualTo(1);
        assertThat(done.weak()).isEqualTo(1);
        assertThat(results("batch_a/o/"))
                .extracting(line -> line.path("custom_id").asText())
                .containsExactly("c1", "c3");
        assertThat(results("batch_a/e/")).singleElement().satisfies(line -> {
            assertThat(line.path("custom_id").asText()).isEqualTo("c2");
            assertThat(line.at("/error/code").asText()).isEqualTo("request_failed");
            assertThat(line.at("/error/message").asText()).contains("provider failed");
        });
    }

    @Test
    void a_replayed_answer_is_settled_once() {
        start(10);
        submit("batch_a", JobSettings.DEFAULT, "q1", "q2");
        List<PromptRequest> sent = feed();

        answer(sent.get(0), Tier.STRONG, 0.01);
        answer(sent.get(0), Tier.STRONG, 0.01);

        assertThat(job("batch_a").job().completed()).isEqualTo(1);
        assertThat(job("batch_a").spentUsd()).isEqualTo(0.01);
    }

    @Test
    void identical_requests_within_and_across_jobs_are_answered_once() {
        // given: the same question twice in one job, and once more in a later job
        start(10);
        submit("batch_a", JobSettings.DEFAULT, "same", "same", "other");

        // when
        List<PromptRequest> sent = feed();

        // then: one call for the pair; the twin waits for its answer
        assertThat(sent).extracting(PromptRequest::lastUserText).containsExactly("same", "other");
        assertThat(job("batch_a").waiting()).isEqualTo(1);
        answer(sent.get(0), Tier.STRONG, 0.02);
        answer(sent.get(1), Tier.WEAK, 0.001);
        JobState first = job("batch_a");
        assertThat(first.job().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(first.cacheHits()).isEqualTo(1);
        assertThat(first.spentUsd()).isEqualTo(0.021, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(results("batch_a/o/")).hasSize(3);

        submit("batch_b", JobSettings.DEFAULT, "same");
        assertThat(feed()).isEmpty();
        assertThat(job("batch_b").job().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(job("batch_b").cacheHits()).isEqualTo(1);
        assertThat(results("batch_b/o/")).singleElement().satisfies(line -> assertThat(
                        line.at("/response/body/choices/0/message/content").asText())
                .isEqualTo("answer to same"));
    }

    @Test
    void a_job_that_opts_out_of_dedup_calls_for_every_request() {
        start(10);
        submit("batch_a", new JobSettings(null, JobSettings.OnBudget.CHEAPER, false, null), "same", "same");

        assertThat(feed()).hasSize(2);
    }

    @Test
    void when_the_twin_fails_the_waiting_request_gets_its_own_call() {
        start(10);
        submit("batch_a", JobSettings.DEFAULT, "same", "same");
        List<PromptRequest> sent = feed();
        assertThat(sent).hasSize(1);

        deadLetter(sent.get(0), "timeout");
        List<PromptRequest> again = feed();

        assertThat(again).hasSize(1);
        assertThat(again.get(0).id()).isNotEqualTo(sent.get(0).id());
        answer(again.get(0), Tier.WEAK, 0.001);
        assertThat(job("batch_a").job().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(job("batch_a").job().failed()).isEqualTo(1);
    }

    @Test
    void a_cancel_ends_what_was_not_sent_and_lets_calls_in_flight_finish() {
        // given
        start(1);
        submit("batch_a", JobSettings.DEFAULT, "q1", "q2", "q3");
        List<PromptRequest> inFlight = feed();

        // when
        events.pipeInput("batch_a", event(new LedgerEvent.Cancel(1)));

        // then
        assertThat(job("batch_a").job().status()).isEqualTo(BatchStatus.CANCELLING);
        assertThat(feed()).isEmpty();
        answer(inFlight.get(0), Tier.STRONG, 0.01);
        JobState cancelled = job("batch_a");
        assertThat(cancelled.job().status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.job().completed()).isEqualTo(1);
        assertThat(results("batch_a/e/"))
                .extracting(line -> line.at("/error/code").asText())
                .containsExactly("batch_cancelled", "batch_cancelled");
    }

    @Test
    void a_budget_is_never_overspent_and_the_rest_goes_to_the_cheaper_model_then_ends() {
        // given: room for two strong worst cases, not three
        start(10);
        PromptRequest probe = request("batch_x", 0, "q");
        double strong = PRICES.worstCaseUsd(capped(probe), Tier.STRONG);
        double weak = PRICES.worstCaseUsd(capped(probe), Tier.WEAK);
        double budget = 2 * strong + 1.5 * weak;
        submit("batch_a", new JobSettings(budget, JobSettings.OnBudget.CHEAPER, false, null), "q", "q", "q", "q", "q");

        // when
        List<PromptRequest> sent = feed();

        // then: two routed freely, one forced to the weak tier, two wait for the budget to settle
        assertThat(sent).hasSize(3);
        assertThat(sent.subList(0, 2)).allSatisfy(r -> assertThat(r.routing()).isNull());
        assertThat(sent.get(2).routing().forceTier()).isEqualTo(Tier.WEAK);
        assertThat(sent).allSatisfy(r -> assertThat(r.maxTokens()).isEqualTo(100));
        assertThat(job("batch_a").reservedUsd())
                .isEqualTo(2 * strong + weak, org.assertj.core.api.Assertions.within(1e-12));

        // each answer costs its whole reservation: the worst case
        answer(sent.get(0), Tier.STRONG, strong);
        answer(sent.get(1), Tier.STRONG, strong);
        answer(sent.get(2), Tier.WEAK, weak);
        List<PromptRequest> rest = feed();

        JobState state = job("batch_a");
        assertThat(rest).isEmpty();
        assertThat(state.job().status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(state.spentUsd()).isLessThanOrEqualTo(budget);
        assertThat(state.reservedUsd()).isZero();
        assertThat(state.job().failed()).isEqualTo(2);
        assertThat(results("batch_a/e/"))
                .extracting(line -> line.at("/error/code").asText())
                .containsOnly("budget_exhausted");
    }

    @Test
    void a_budget_that_waits_holds_requests_until_calls_settle() {
        start(10);
        PromptRequest probe = capped(request("batch_x", 0, "q"));
        double strong = PRICES.worstCaseUsd(probe, Tier.STRONG);
        submit("batch_a", new JobSettings(1.5 * strong, JobSettings.OnBudget.WAIT, false, null), "q", "q");

        List<PromptRequest> sent = feed();
        assertThat(sent).hasSize(1);
        // the call cost far less than its worst case: the second now fits
        answer(sent.get(0), Tier.WEAK, strong / 10);

        assertThat(feed()).hasSize(1);
    }

    @Test
    void a_job_share_travels_with_each_request() {
        start(10);
        submit("batch_a", new JobSettings(null, JobSettings.OnBudget.CHEAPER, true, 0.25), "q1");

        assertThat(feed()).singleElement().satisfies(r -> assertThat(r.routing().strongShare())
                .isEqualTo(0.25));
    }

    @Test
    void a_job_the_jobs_topic_already_knows_is_not_run_again() {
        // given: a ledger under a new application id, reading the events topic from its start
        start(10);
        BatchJob done = BatchJob.created("batch_old", "owner", "file-1", "/v1/chat/completions", "24h", Map.of(), 1);
        driver.createInputTopic(BATCH.jobs(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("batch_old", LedgerTopology.jsonBytes(JobState.of(done, JobSettings.DEFAULT)));

        // when
        submit("batch_old", JobSettings.DEFAULT, "q1", "q2");

        // then
        assertThat(feed()).isEmpty();
        assertThat(driver.getKeyValueStore(LedgerStores.JOBS).get("batch_old")).isNull();
    }

    @Test
    void outcomes_of_other_requests_and_unreadable_records_are_ignored() {
        start(10);
        submit("batch_a", JobSettings.DEFAULT, "q1");
        List<PromptRequest> sent = feed();

        responses.pipeInput("req-1", "not json".getBytes());
        responses.pipeInput("batch_zzz-00", "not json".getBytes());
        events.pipeInput("batch_a", "{\"type\":\"nonsense\"}".getBytes());
        answer(sent.get(0), Tier.WEAK, 0.001);

        assertThat(job("batch_a").job().status()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void topology_matches_the_committed_snapshot() throws Exception {
        // A renamed operator, store or topic breaks a running gateway's upgrade: this snapshot makes it visible.
        String described = LedgerTopology.build(
                        new StreamsBuilder(),
                        PIPELINE,
                        BATCH,
                        new LedgerOptions(10, Duration.ofMillis(100), PRICES, Duration.ofHours(1)),
                        LedgerMetrics.noop())
                .describe()
                .toString();
        Path snapshot = Path.of("src/test/resources/ledger-topology.snapshot.txt");
        if (Boolean.getBoolean("kroute.updateSnapshots")) {
            Files.writeString(snapshot, described);
        }
        assertThat(described)
                .as("topology changed: review it, then rerun with -Dkroute.updateSnapshots=true")
                .isEqualTo(Files.readString(snapshot));
    }

    // --- helpers

    private void submit(String batchId, JobSettings settings, String... questions) {
        BatchJob job = BatchJob.created(batchId, "owner", "file-1", "/v1/chat/completions", "24h", Map.of(), 1);
        events.pipeInput(batchId, event(new LedgerEvent.Created(job, settings)));
        for (int i = 0; i < questions.length; i++) {
            events.pipeInput(
                    batchId,
                    event(new LedgerEvent.Line(
                            i + 1, "c" + (i + 1), "key-" + questions[i], request(batchId, i + 1, questions[i]))));
        }
        events.pipeInput(batchId, event(new LedgerEvent.Validated(questions.length, 0)));
    }

    private static PromptRequest request(String batchId, int line, String question) {
        return new PromptRequest(
                batchId + "-" + String.format("%06d", line),
                "owner",
                List.of(ChatMessage.user(question)),
                null,
                Map.of(),
                null,
                0);
    }

    private static PromptRequest capped(PromptRequest request) {
        return new PromptRequest(
                request.id(),
                request.tenant(),
                request.messages(),
                PRICES.maxTokens(),
                request.metadata(),
                request.routing(),
                request.createdAt());
    }

    private List<PromptRequest> feed() {
        driver.advanceWallClockTime(Duration.ofMillis(200));
        List<PromptRequest> out = new ArrayList<>();
        for (KeyValue<String, byte[]> record : prompts.readKeyValuesToList()) {
            out.add(Codecs.PROMPT_REQUEST.decode(record.value));
        }
        return out;
    }

    private void answer(PromptRequest request, Tier tier, double cost) {
        LlmResponse response = new LlmResponse(
                request.id(),
                request.tenant(),
                tier,
                tier == Tier.STRONG ? "big" : "small",
                "answer to " + request.lastUserText(),
                "stop",
                10,
                5,
                cost,
                7,
                1,
                ResponseStatus.OK,
                "v1",
                0,
                1000);
        responses.pipeInput(request.id(), Codecs.LLM_RESPONSE.encode(response));
    }

    private void deadLetter(PromptRequest request, String reason) {
        DeadLetter letter = new DeadLetter(request.id(), "", "t-llm-queue-strong", 0, 1, "llm-workers", reason, 1000);
        deadLetters.pipeInput(request.id(), Codecs.DEAD_LETTER.encode(letter));
    }

    private JobState job(String batchId) {
        KeyValueStore<String, byte[]> jobs = driver.getKeyValueStore(LedgerStores.JOBS);
        try {
            return Json.MAPPER.readValue(jobs.get(batchId), JobState.class);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<JsonNode> results(String prefix) {
        KeyValueStore<String, byte[]> results = driver.getKeyValueStore(LedgerStores.RESULTS);
        List<JsonNode> out = new ArrayList<>();
        try (var it = results.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                out.add(Json.MAPPER.readTree(it.next().value));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static byte[] event(LedgerEvent event) {
        try {
            return Json.MAPPER.writerFor(LedgerEvent.class).writeValueAsBytes(event);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
