package io.kroute.batch.format;

/**
 * How large a batch input file may be. The defaults are OpenAI's Batch API limits (50,000 requests, 200 MB per
 * file); a line is bounded so one request cannot hold the reader's memory, and a line that passes is a prompt record
 * the prompts topic accepts (256 KiB by default there, see README "Limits").
 */
public record BatchLimits(int maxLines, long maxBytes, int maxLineBytes) {

    public static BatchLimits defaults() {
        return new BatchLimits(50_000, 200L * 1000 * 1000, 256 * 1024);
    }

    public BatchLimits {
        if (maxLines < 1 || maxBytes < 1 || maxLineBytes < 1) {
            throw new IllegalArgumentException(
                    "batch limits must be positive, got " + maxLines + ", " + maxBytes + ", " + maxLineBytes);
        }
    }
}
