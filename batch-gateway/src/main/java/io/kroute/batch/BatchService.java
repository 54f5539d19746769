package io.kroute.batch;

import io.kroute.batch.files.BatchFiles;
import io.kroute.batch.files.FileMeta;
import io.kroute.batch.format.BatchFileReader;
import io.kroute.batch.http.ApiException;
import io.kroute.batch.http.ApiKeys.Caller;
import io.kroute.batch.job.BatchJob;
import io.kroute.batch.job.BatchStatus;
import io.kroute.batch.kafka.BatchTopics;
import io.kroute.batch.kafka.GatewayWriter;
import io.kroute.batch.ledger.BatchIds;
import io.kroute.batch.ledger.JobSettings;
import io.kroute.batch.ledger.JobState;
import io.kroute.batch.ledger.LedgerEvent;
import io.kroute.batch.ledger.LedgerStores;
import io.kroute.batch.ledger.LedgerTopology;
import io.kroute.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the Files and Batches API does, apart from HTTP: every change is written to Kafka (one transaction per call)
 * and every answer is read from the ledger's stores, so the gateway holds nothing a restart could lose. A call that
 * changes something answers once the ledger shows the change, so a client that creates and then reads sees what it
 * created. Blocking: the API runs it on worker threads.
 */
public final class BatchService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchService.class);
    private static final Duration SEEN_TIMEOUT = Duration.ofSeconds(30);
    private static final String ENDPOINT = BatchFileReader.CHAT_COMPLETIONS;
    private static final int MAX_METADATA_PAIRS = 16;

    private final KafkaStreams streams;
    private final GatewayWriter writer;
    private final BatchTopics topics;
    private final BatchGatewayConfig config;

    BatchService(KafkaStreams streams, GatewayWriter writer, BatchTopics topics, BatchGatewayConfig config) {
        this.streams = streams;
        this.writer = writer;
        this.topics = topics;
        this.config = config;
    }

    /** Checks an uploaded file is a batch file within the limits and stores it in the files topic. */
    public FileMeta upload(Caller caller, String filename, String purpose, Path content) throws IOException {
        if (!"batch".equals(purpose)) {
            throw ApiException.badRequest("purpose", "purpose must be 'batch', got '" + purpose + "'");
        }
        BatchFileReader.Totals totals;
        try (InputStream in = Files.newInputStream(content)) {
            totals = new BatchFileReader(config.limits()).count(in);
        } catch (BatchFileReader.FileRejected e) {
            throw ApiException.badRequest("file", e.getMessage());
        }
        String id = BatchIds.newFileId();
        long size = Files.size(content);
        int chunks = (int) Math.max(1, (size + BatchTopics.CHUNK_BYTES - 1) / BatchTopics.CHUNK_BYTES);
        FileMeta meta = new FileMeta(
                id,
                caller.id(),
                filename == null || filename.isBlank() ? "upload.jsonl" : shorten(filename),
                purpose,
                size,
                chunks,
                totals.lines(),
                System.currentTimeMillis() / 1000);
        await(writer.inTransaction(tx -> {
            try (InputStream in = Files.newInputStream(content)) {
                for (int i = 0; i < chunks; i++) {
                    tx.send(topics.files(), BatchFiles.chunkKey(id, i), in.readNBytes(BatchTopics.CHUNK_BYTES));
                }
            }
            tx.send(topics.files(), id, Json.MAPPER.writeValueAsBytes(meta));
            return null;
        }));
        waitFor(() -> BatchFiles.meta(files(), id), m -> true);
        return meta;
    }

    public FileMeta file(Caller caller, String fileId) {
        String batchId = BatchFiles.batchOfResultFile(fileId);
        if (batchId != null) {
            JobState state = job(caller, batchId);
            boolean output = BatchFiles.isOutput(fileId);
            String named = output ? state.job().outputFileId() : state.job().errorFileId();
            if (!fileId.equals(named)) {
                throw ApiException.notFound("file", fileId);
            }
            // the size of a view is not known without reading it; 0, as OpenAI shows for files it is still writing
            return new FileMeta(
                    fileId,
                    caller.id(),
                    fileId + ".jsonl",
                    "batch_output",
                    0,
                    0,
                    output ? state.job().completed() : state.job().failed(),
                    state.job().createdAt());
        }
        FileMeta meta = BatchFiles.meta(files(), fileId);
        if (meta == null || !meta.owner().equals(caller.id())) {
            throw ApiException.notFound("file", fileId);
        }
        return meta;
    }

    /** Writes a file's content: an uploaded file's bytes, or a job's output or error lines in line order. */
    public void content(Caller caller, String fileId, OutputStream out) throws IOException {
        FileMeta meta = file(caller, fileId);
        String batchId = BatchFiles.batchOfResultFile(fileId);
        if (batchId == null) {
            try (InputStream in = BatchFiles.content(files(), meta)) {
                in.transferTo(out);
            }
            return;
        }
        String prefix =
                BatchFiles.isOutput(fileId) ? LedgerStores.outputPrefix(batchId) : LedgerStores.errorPrefix(batchId);
        try (KeyValueIterator<String, byte[]> lines =
                store(LedgerStores.RESULTS).prefixScan(prefix, new StringSerializer())) {
            while (lines.hasNext()) {
                KeyValue<String, byte[]> line = lines.next();
                out.write(line.value);
                out.write('\n');
            }
        }
    }

    /** Creates a job from an uploaded file: its lines are read and written with the job, in one transaction. */
    public JobState create(
            Caller caller, String inputFileId, String endpoint, String window, Map<String, String> metadata)
            throws IOException {
        if (inputFileId == null || inputFileId.isBlank()) {
            throw ApiException.badRequest("input_file_id", "input_file_id is required");
        }
        if (!ENDPOINT.equals(endpoint)) {
            throw ApiException.badRequest("endpoint", "endpoint must be '" + ENDPOINT + "', got '" + endpoint + "'");
        }
        if (!"24h".equals(window)) {
            throw ApiException.badRequest("completion_window", "completion_window must be '24h', got '" + window + "'");
        }
        checkMetadata(metadata);
        JobSettings settings;
        try {
            settings = JobSettings.from(metadata);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("metadata", e.getMessage());
        }
        FileMeta input = BatchFiles.meta(files(), inputFileId);
        if (input == null || !input.owner().equals(caller.id())) {
            throw ApiException.badRequest("input_file_id", "No such file: '" + inputFileId + "'");
        }
        String batchId = BatchIds.newBatchId();
        BatchJob job = BatchJob.created(
                batchId, caller.id(), inputFileId, endpoint, window, metadata, System.currentTimeMillis() / 1000);
        long start = System.nanoTime();
        await(writer.inTransaction(tx -> {
            tx.send(topics.events(), batchId, event(new LedgerEvent.Created(job, settings)));
            try (InputStream in = BatchFiles.content(files(), input)) {
                BatchFileReader.Totals totals = new BatchFileReader(config.limits())
                        .read(
                                in,
                                batchId,
                                caller.tenant(),
                                line -> tx.send(
                                        topics.events(),
                                        batchId,
                                        event(new LedgerEvent.Line(
                                                line.lineNumber(), line.customId(), line.dedupKey(), line.request()))),
                                error -> tx.send(
                                        topics.events(),
                                        batchId,
                                        event(new LedgerEvent.LineFailed(
                                                error.lineNumber(), error.customId(), error.code(), error.message()))));
                tx.send(topics.events(), batchId, event(new LedgerEvent.Validated(totals.lines(), totals.errors())));
            }
            return null;
        }));
        long written = System.nanoTime();
        JobState accepted = waitFor(() -> jobOrNull(batchId), s -> s.job().status() != BatchStatus.VALIDATING);
        LOG.info(
                "batch {} of {} lines from {}: read and written in {} ms, {} after {} ms more",
                batchId,
                input.lines(),
                inputFileId,
                (written - start) / 1_000_000,
                accepted.job().status().wire(),
                (System.nanoTime() - written) / 1_000_000);
        return accepted;
    }

    public JobState job(Caller caller, String batchId) {
        JobState state = jobOrNull(batchId);
        if (state == null || !state.job().owner().equals(caller.id())) {
            throw ApiException.notFound("batch", batchId);
        }
        return state;
    }

    /** The caller's jobs, newest first, after the one named (OpenAI's cursor), at most {@code limit}. */
    public List<JobState> list(Caller caller, String after, int limit) {
        List<JobState> mine = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all =
                store(LedgerTopology.JOBS_VIEW).all()) {
            while (all.hasNext()) {
                JobState state = decode(all.next().value);
                if (state.job().owner().equals(caller.id())) {
                    mine.add(state);
                }
            }
        }
        mine.sort(Comparator.comparingLong((JobState s) -> s.job().createdAt())
                .thenComparing(s -> s.job().id())
                .reversed());
        int from = 0;
        if (after != null) {
            for (int i = 0; i < mine.size(); i++) {
                if (mine.get(i).job().id().equals(after)) {
                    from = i + 1;
                }
            }
        }
        return mine.subList(Math.min(from, mine.size()), Math.min(mine.size(), from + limit + 1));
    }

    /** Asks the ledger to cancel: requests not yet sent end as cancelled, those in flight finish. */
    public JobState cancel(Caller caller, String batchId) {
        JobState state = job(caller, batchId);
        BatchStatus status = state.job().status();
        if (status.terminal() || status == BatchStatus.CANCELLING || status == BatchStatus.FINALIZING) {
            if (status == BatchStatus.CANCELLING || status == BatchStatus.CANCELLED) {
                return state;
            }
            throw ApiException.badRequest(null, "Cannot cancel a batch that is " + status.wire());
        }
        await(writer.inTransaction(tx -> {
            tx.send(topics.events(), batchId, event(new LedgerEvent.Cancel(System.currentTimeMillis())));
            return null;
        }));
        return waitFor(
                () -> jobOrNull(batchId),
                s -> s.job().status() == BatchStatus.CANCELLING
                        || s.job().status().terminal());
    }

    private static void checkMetadata(Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_PAIRS) {
            throw ApiException.badRequest("metadata", "metadata holds at most " + MAX_METADATA_PAIRS + " pairs");
        }
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            if (pair.getKey().length() > 64
                    || pair.getValue() == null
                    || pair.getValue().length() > 512) {
                throw ApiException.badRequest(
                        "metadata", "metadata keys are at most 64 characters and values at most 512");
            }
        }
    }

    private JobState jobOrNull(String batchId) {
        byte[] bytes = store(LedgerTopology.JOBS_VIEW).get(batchId);
        return bytes == null ? null : decode(bytes);
    }

    private static JobState decode(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, JobState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] event(LedgerEvent event) {
        try {
            return Json.MAPPER.writerFor(LedgerEvent.class).writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> files() {
        return store(LedgerTopology.FILES_STORE);
    }

    /** A store of the ledger; InvalidStateStoreException while it restores or moves (the API retries the call). */
    private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    /** Waits until the ledger shows what was written: the API answers with state a following read agrees with. */
    private <T> T waitFor(Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + SEEN_TIMEOUT.toNanos();
        while (true) {
            T value;
            try {
                value = read.get();
            } catch (ApiException | InvalidStateStoreException e) {
                value = null;
            }
            if (value != null && done.test(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw ApiException.unavailable(
                        "written to Kafka but not yet visible after " + SEEN_TIMEOUT.toSeconds() + " s; read it again");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted");
            }
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            throw ApiException.unavailable("could not write to Kafka: " + cause);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 255 ? s : s.substring(0, 255);
    }
}
