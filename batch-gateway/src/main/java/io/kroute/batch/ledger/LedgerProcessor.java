package io.kroute.batch.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.batch.files.BatchFiles;
import io.kroute.batch.format.BatchFileReader;
import io.kroute.batch.format.OpenAiBatchFormat;
import io.kroute.batch.job.BatchJob;
import io.kroute.batch.job.BatchStatus;
import io.kroute.batch.ledger.LedgerStores.CachedAnswer;
import io.kroute.batch.ledger.LedgerStores.InFlight;
import io.kroute.batch.ledger.LedgerStores.Waiter;
import io.kroute.batch.ledger.LedgerStores.Waiters;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.PromptRequest;
import io.kroute.schemas.RoutingHints;
import io.kroute.schemas.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger of batch jobs: keeps each job's requests, sends them to the router a window at a time, settles each
 * answer or dead letter against its job, and answers identical requests once. Everything it decides is in its stores
 * and its output, committed together (exactly-once), so a gateway killed at any point resumes with the same counts,
 * the same money and no request sent twice.
 */
final class LedgerProcessor implements Processor<String, LedgerEvent, String, LedgerOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerProcessor.class);

    private final LedgerOptions options;
    private final LedgerMetrics metrics;
    private ProcessorContext<String, LedgerOutput> context;
    private JsonStore<JobState> jobs;
    private JsonStore<LedgerEvent.Line> queue;
    private JsonStore<InFlight> requests;
    private JsonStore<JsonNode> results;
    private JsonStore<CachedAnswer> answers;
    private JsonStore<Waiters> leaders;
    private JsonStore<String> active;
    private org.apache.kafka.streams.state.KeyValueStore<String, byte[]> jobsView;

    LedgerProcessor(LedgerOptions options, LedgerMetrics metrics) {
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, LedgerOutput> context) {
        this.context = context;
        jobs = new JsonStore<>(context.getStateStore(LedgerStores.JOBS), JobState.class);
        queue = new JsonStore<>(context.getStateStore(LedgerStores.QUEUE), LedgerEvent.Line.class);
        requests = new JsonStore<>(context.getStateStore(LedgerStores.REQUESTS), InFlight.class);
        results = new JsonStore<>(context.getStateStore(LedgerStores.RESULTS), JsonNode.class);
        answers = new JsonStore<>(context.getStateStore(LedgerStores.ANSWERS), CachedAnswer.class);
        leaders = new JsonStore<>(context.getStateStore(LedgerStores.LEADERS), Waiters.class);
        active = new JsonStore<>(context.getStateStore(LedgerStores.ACTIVE), String.class);
        jobsView = context.getStateStore(LedgerTopology.JOBS_VIEW);
        context.schedule(options.feedInterval(), PunctuationType.WALL_CLOCK_TIME, this::feedAll);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::dropOldAnswers);
    }

    @Override
    public void process(Record<String, LedgerEvent> record) {
        String batchId = record.key();
        LedgerEvent event = record.value();
        if (batchId == null || event == null) {
            return;
        }
        try {
            apply(batchId, event);
        } catch (IllegalStateException e) {
            // an event the job's state does not allow (it cannot happen in order; if it does, one job's event must
            // not stop the ledger of every job)
            LOG.error("batch {}: {} ignored: {}", batchId, event.getClass().getSimpleName(), e.getMessage());
        }
    }

    private void apply(String batchId, LedgerEvent event) {
        if (event instanceof LedgerEvent.Created created) {
            created(batchId, created);
        } else if (event instanceof LedgerEvent.Line line) {
            line(batchId, line);
        } else if (event instanceof LedgerEvent.LineFailed failed) {
            metrics.ended(LedgerMetrics.Ended.INVALID_LINE);
            results.put(
                    errorKey(batchId, failed.line()),
                    OpenAiBatchFormat.errorLine(
                            batchId,
                            new BatchFileReader.LineError(
                                    failed.line(), failed.customId(), failed.code(), failed.message())));
        } else if (event instanceof LedgerEvent.Validated validated) {
            validated(batchId, validated);
        } else if (event instanceof LedgerEvent.Cancel cancel) {
            cancel(batchId, cancel);
        } else if (event instanceof LedgerEvent.Answered answered) {
            answered(answered);
        } else if (event instanceof LedgerEvent.DeadLettered dead) {
            deadLettered(dead);
        }
    }

    private void created(String batchId, LedgerEvent.Created created) {
        // a replayed create changes nothing; nor does one the jobs topic already knows: a ledger started under a new
        // application id reads the events topic from its start, and must not run the jobs of its predecessor again
        if (jobs.contains(batchId) || jobsView.get(batchId) != null) {
            return;
        }
        save(JobState.of(created.job(), created.settings()));
    }

    private void line(String batchId, LedgerEvent.Line line) {
        // a job's lines follow its creation in one transaction: whether it exists is all there is to check, and
        // decoding the job 50,000 times would be most of a large job's acceptance time
        if (!jobs.contains(batchId)) {
            return;
        }
        // the job's counts are set once, when the file has been read (Validated): a 50,000-line job is 50,000 puts
        queue.put(LedgerStores.queueKey(batchId, line.line()), line);
    }

    private void validated(String batchId, LedgerEvent.Validated validated) {
        JobState state = jobs.get(batchId);
        if (state == null || state.job().status() != BatchStatus.VALIDATING) {
            return;
        }
        state = state.withJob(state.job().started(validated.total(), validated.invalid(), now()))
                .counts(validated.total() - validated.invalid(), 0, 0);
        if (state.queued() > 0) {
            active.put(batchId, "");
        }
        save(finishIfDone(state));
    }

    private void cancel(String batchId, LedgerEvent.Cancel cancel) {
        JobState state = jobs.get(batchId);
        if (state == null
                || state.job().status().terminal()
                || state.job().status() == BatchStatus.CANCELLING
                || state.job().status() == BatchStatus.FINALIZING) {
            return;
        }
        state = state.withJob(state.job().cancelling(now()));
        // requests not yet sent end here; those in flight (and those waiting on them) finish
        state = endQueued(state, "batch_cancelled", "the batch was cancelled before this request was sent");
        active.delete(batchId);
        save(finishIfDone(state));
    }

    private void answered(LedgerEvent.Answered answered) {
        InFlight sent = requests.get(answered.requestId());
        if (sent == null) {
            return; // not ours, or already settled (a replayed answer)
        }
        requests.delete(answered.requestId());
        LlmResponse response = answered.response();
        JobState state = jobs.get(sent.batchId());
        if (state != null) {
            int strong = state.strong() + (response.tier() == Tier.STRONG ? 1 : 0);
            int weak = state.weak() + (response.tier() == Tier.WEAK ? 1 : 0);
            state = state.money(state.spentUsd() + response.costUsd(), released(state, sent))
                    .answers(state.cacheHits(), strong, weak)
                    .counts(state.queued(), state.inFlight() - 1, state.waiting());
            results.put(
                    outputKey(sent.batchId(), sent.line()), OpenAiBatchFormat.outputLine(sent.customId(), response));
            metrics.ended(LedgerMetrics.Ended.ANSWERED);
            metrics.spent(response.costUsd());
            state = state.withJob(state.job().ended(true, now()));
            save(finishIfDone(state));
        }
        if (sent.dedupKey() != null) {
            answers.put(sent.dedupKey(), new CachedAnswer(response, now()));
            Waiters waiting = leaders.get(sent.dedupKey());
            leaders.delete(sent.dedupKey());
            if (waiting != null) {
                for (Waiter waiter : waiting.waiters()) {
                    answerFromCache(waiter.batchId(), waiter.line(), response, true);
                }
            }
        }
    }

    private void deadLettered(LedgerEvent.DeadLettered dead) {
        InFlight sent = requests.get(dead.requestId());
        if (sent == null) {
            return;
        }
        requests.delete(dead.requestId());
        JobState state = jobs.get(sent.batchId());
        if (state != null) {
            state = state.money(state.spentUsd(), released(state, sent))
                    .counts(state.queued(), state.inFlight() - 1, state.waiting());
            state = fail(
                    state,
                    sent.line(),
                    dead.requestId(),
                    sent.customId(),
                    "request_failed",
                    dead.stage() + ": " + dead.reason());
            save(finishIfDone(state));
        }
        if (sent.dedupKey() != null) {
            // the identical requests waiting on this one get their own chance: back to their queues
            Waiters waiting = leaders.get(sent.dedupKey());
            leaders.delete(sent.dedupKey());
            if (waiting != null) {
                for (Waiter waiter : waiting.waiters()) {
                    requeue(waiter);
                }
            }
        }
    }

    /**
     * The reservation left once {@code sent} settles: exactly zero when it was the last call in flight, so sums of
     * fractions of a cent do not leave a residue that looks like money still held.
     */
    private static double released(JobState state, InFlight sent) {
        return state.inFlight() <= 1 ? 0 : Math.max(0, state.reservedUsd() - sent.reservedUsd());
    }

    /** Sends the next requests of every job with queued requests, within each job's window and budget. */
    private void feedAll(long now) {
        for (String batchId : active.keys()) {
            JobState state = jobs.get(batchId);
            if (state == null || state.job().status() != BatchStatus.IN_PROGRESS || state.queued() == 0) {
                active.delete(batchId);
                continue;
            }
            JobState fed = feed(state);
            if (fed != state) {
                save(finishIfDone(fed));
            }
            if (fed.queued() == 0) {
                active.delete(batchId);
            }
        }
    }

    private JobState feed(JobState state) {
        String batchId = state.job().id();
        int room = options.maxInFlightPerJob() - state.inFlight();
        if (room <= 0) {
            return state;
        }
        for (Map.Entry<String, LedgerEvent.Line> queued : queue.prefix(batchId + "/", room)) {
            LedgerEvent.Line line = queued.getValue();
            boolean dedup = state.settings().dedup() && line.dedupKey() != null;
            if (dedup && answers.get(line.dedupKey()) != null) {
                queue.delete(queued.getKey());
                state = state.counts(state.queued() - 1, state.inFlight(), state.waiting());
                save(state);
                answerFromCache(batchId, line, answers.get(line.dedupKey()).response(), false);
                state = jobs.get(batchId);
                continue;
            }
            if (dedup && leaders.get(line.dedupKey()) != null) {
                Waiters waiting = leaders.get(line.dedupKey());
                List<Waiter> more = new ArrayList<>(waiting.waiters());
                more.add(new Waiter(batchId, line));
                leaders.put(line.dedupKey(), new Waiters(more));
                queue.delete(queued.getKey());
                state = state.counts(state.queued() - 1, state.inFlight(), state.waiting() + 1);
                continue;
            }
            PromptRequest request = line.request();
            if (state.settings().strongShare() != null) {
                request = withHints(
                        request, new RoutingHints(null, state.settings().strongShare()));
            }
            double reserve = 0;
            if (state.settings().budgetUsd() != null) {
                request = capped(request);
                double strong = options.prices().worstCaseUsd(request, Tier.STRONG);
                double weak = options.prices().worstCaseUsd(request, Tier.WEAK);
                double headroom = state.headroomUsd();
                if (strong <= headroom) {
                    reserve = strong;
                } else if (state.settings().onBudget() == JobSettings.OnBudget.CHEAPER && weak <= headroom) {
                    reserve = weak;
                    request = withHints(
                            request,
                            new RoutingHints(Tier.WEAK, state.settings().strongShare()));
                } else if (state.inFlight() > 0) {
                    break; // wait: calls in flight settle below their reservations and free budget
                } else {
                    return budgetExhausted(state);
                }
            }
            queue.delete(queued.getKey());
            requests.put(
                    request.id(),
                    new InFlight(batchId, line.line(), line.customId(), dedup ? line.dedupKey() : null, reserve));
            if (dedup) {
                leaders.put(line.dedupKey(), new Waiters(List.of()));
            }
            state = state.counts(state.queued() - 1, state.inFlight() + 1, state.waiting())
                    .money(state.spentUsd(), state.reservedUsd() + reserve);
            context.forward(
                    new Record<>(request.id(), new LedgerOutput.Prompt(request), context.currentSystemTimeMs()));
            metrics.sent();
        }
        return state;
    }

    /** Nothing in flight and the next request does not fit what is left: the rest of the job ends unanswered. */
    private JobState budgetExhausted(JobState state) {
        String batchId = state.job().id();
        LOG.info(
                "batch {}: budget {} USD spent ({} USD), the {} requests left end as budget_exhausted",
                batchId,
                state.settings().budgetUsd(),
                state.spentUsd(),
                state.queued());
        return endQueued(
                state,
                "budget_exhausted",
                "the batch's budget of " + state.settings().budgetUsd() + " USD cannot pay for this request ("
                        + String.format(java.util.Locale.ROOT, "%.6f", state.spentUsd()) + " USD spent)");
    }

    /** Every request of the job not yet sent ends unanswered, with {@code code} and {@code message}. */
    private JobState endQueued(JobState state, String code, String message) {
        for (Map.Entry<String, LedgerEvent.Line> queued :
                queue.prefix(state.job().id() + "/", Integer.MAX_VALUE)) {
            queue.delete(queued.getKey());
            LedgerEvent.Line line = queued.getValue();
            state = fail(state, line.line(), line.request().id(), line.customId(), code, message)
                    .counts(state.queued() - 1, state.inFlight(), state.waiting());
        }
        return state;
    }

    /** A request answered by an identical request's answer: no call, no cost. */
    private void answerFromCache(String batchId, LedgerEvent.Line line, LlmResponse response, boolean wasWaiting) {
        JobState state = jobs.get(batchId);
        if (state == null) {
            return;
        }
        LlmResponse reused = new LlmResponse(
                line.request().id(),
                line.request().tenant(),
                response.tier(),
                response.model(),
                response.text(),
                response.finishReason(),
                response.promptTokens(),
                response.completionTokens(),
                0,
                0,
                0,
                response.status(),
                response.routerVersion(),
                line.request().createdAt(),
                now());
        results.put(outputKey(batchId, line.line()), OpenAiBatchFormat.outputLine(line.customId(), reused));
        metrics.ended(LedgerMetrics.Ended.ANSWERED_FROM_TWIN);
        state = state.answers(state.cacheHits() + 1, state.strong(), state.weak())
                .counts(state.queued(), state.inFlight(), state.waiting() - (wasWaiting ? 1 : 0));
        state = state.withJob(state.job().ended(true, now()));
        save(finishIfDone(state));
    }

    private void requeue(Waiter waiter) {
        JobState state = jobs.get(waiter.batchId());
        if (state == null) {
            return;
        }
        queue.put(LedgerStores.queueKey(waiter.batchId(), waiter.line().line()), waiter.line());
        state = state.counts(state.queued() + 1, state.inFlight(), state.waiting() - 1);
        if (state.job().status() == BatchStatus.CANCELLING) {
            // a cancelled job does not send it again
            queue.delete(LedgerStores.queueKey(waiter.batchId(), waiter.line().line()));
            state = fail(
                    state.counts(state.queued() - 1, state.inFlight(), state.waiting()),
                    waiter.line().line(),
                    waiter.line().request().id(),
                    waiter.line().customId(),
                    "batch_cancelled",
                    "the batch was cancelled before this request was sent");
        } else {
            active.put(waiter.batchId(), "");
        }
        save(finishIfDone(state));
    }

    private JobState fail(JobState state, int line, String requestId, String customId, String code, String message) {
        metrics.ended(
                switch (code) {
                    case "batch_cancelled" -> LedgerMetrics.Ended.CANCELLED;
                    case "budget_exhausted" -> LedgerMetrics.Ended.BUDGET_EXHAUSTED;
                    default -> LedgerMetrics.Ended.FAILED;
                });
        results.put(errorKey(state.job().id(), line), OpenAiBatchFormat.errorLine(requestId, customId, code, message));
        return state.withJob(state.job().ended(false, now()));
    }

    /** Every request has ended: the output and error files are the results store's views, so the job completes. */
    private JobState finishIfDone(JobState state) {
        BatchJob job = state.job();
        boolean ended = job.completed() + job.failed() == job.total();
        if (!ended || (job.status() != BatchStatus.FINALIZING && job.status() != BatchStatus.CANCELLING)) {
            return state;
        }
        if (job.status() == BatchStatus.CANCELLING && (state.inFlight() > 0 || state.waiting() > 0)) {
            return state;
        }
        return state.withJob(job.finished(
                job.completed() > 0 ? BatchFiles.outputFileId(job.id()) : null,
                job.failed() > 0 ? BatchFiles.errorFileId(job.id()) : null,
                now()));
    }

    private void save(JobState state) {
        jobs.put(state.job().id(), state);
        context.forward(
                new Record<>(state.job().id(), new LedgerOutput.JobChanged(state), context.currentSystemTimeMs()));
    }

    private PromptRequest capped(PromptRequest request) {
        if (request.maxTokens() != null) {
            return request;
        }
        // an answer without a bound has no worst case: a budgeted job's lines get one unless they set their own
        return new PromptRequest(
                request.id(),
                request.tenant(),
                request.messages(),
                options.prices().maxTokens(),
                request.metadata(),
                request.routing(),
                request.createdAt());
    }

    private static PromptRequest withHints(PromptRequest request, RoutingHints hints) {
        return new PromptRequest(
                request.id(),
                request.tenant(),
                request.messages(),
                request.maxTokens(),
                request.metadata(),
                hints,
                request.createdAt());
    }

    private void dropOldAnswers(long now) {
        long oldest = now - options.answerCacheTtl().toMillis();
        for (String key : answers.keys()) {
            CachedAnswer answer = answers.get(key);
            if (answer != null && answer.at() < oldest) {
                answers.delete(key);
            }
        }
    }

    private static String outputKey(String batchId, int line) {
        return LedgerStores.outputPrefix(batchId) + LedgerStores.lineKey(line);
    }

    private static String errorKey(String batchId, int line) {
        return LedgerStores.errorPrefix(batchId) + LedgerStores.lineKey(line);
    }

    private long now() {
        return context.currentSystemTimeMs() / 1000;
    }
}
