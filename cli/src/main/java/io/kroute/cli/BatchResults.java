package io.kroute.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished batch's files, downloaded into a directory as {@code <batch_id>_output.jsonl} (the answers) and
 * {@code <batch_id>_errors.jsonl} (the requests that failed). Either may not exist: a batch with no failures has no
 * error file, one that failed validation has neither.
 */
final class BatchResults {

    private BatchResults() {}

    static Path outputFile(Path dir, Batch batch) {
        return dir.resolve(batch.id() + "_output.jsonl");
    }

    static Path errorFile(Path dir, Batch batch) {
        return dir.resolve(batch.id() + "_errors.jsonl");
    }

    /** @return the files written, output first */
    static List<Path> download(GatewayClient client, Batch batch, Path dir) throws BatchFailure {
        List<Path> written = new ArrayList<>();
        if (batch.outputFileId() == null && batch.errorFileId() == null) {
            return written;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BatchFailure("cannot create " + dir + ": " + e.getClass().getSimpleName());
        }
        if (batch.outputFileId() != null) {
            Path file = outputFile(dir, batch);
            client.download(contentPath(batch.outputFileId()), file);
            written.add(file);
        }
        if (batch.errorFileId() != null) {
            Path file = errorFile(dir, batch);
            client.download(contentPath(batch.errorFileId()), file);
            written.add(file);
        }
        return written;
    }

    private static String contentPath(String fileId) {
        return "/v1/files/" + fileId + "/content";
    }
}
