package io.kroute.batch.ledger;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The ids of jobs and files. A request of a job has the id {@code <batch id>-<hash of its custom_id>}, so its answer
 * and its dead letter name the job in their key, and the ledger finds them without reading them.
 */
public final class BatchIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BATCH = "batch_";

    private BatchIds() {}

    public static String newBatchId() {
        return BATCH + random();
    }

    public static String newFileId() {
        return "file-" + random();
    }

    static boolean isRequestOfABatch(String requestId) {
        return requestId != null && requestId.startsWith(BATCH) && requestId.indexOf('-') > BATCH.length();
    }

    static String batchOf(String requestId) {
        return requestId.substring(0, requestId.lastIndexOf('-'));
    }

    private static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
