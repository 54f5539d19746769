package io.kroute.router;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * RouteLLM's random baseline: a score uniform in [0, 1) that ignores what the prompt says. Unlike RouteLLM's
 * {@code random.uniform}, the score is a hash of the seed and the text, so a record processed twice is routed the same
 * way.
 */
public final class RandomRouter implements Router {

    public static final String KIND = "random";

    private final long seed;

    public RandomRouter(long seed) {
        this.seed = seed;
    }

    @Override
    public double score(String prompt) {
        CRC32C crc = new CRC32C();
        crc.update(prompt.getBytes(StandardCharsets.UTF_8));
        long mixed = mix64(crc.getValue() ^ seed);
        return (mixed >>> 11) * 0x1.0p-53;
    }

    /** Scores are uniform, so the quantile is exact without a calibration sample. */
    @Override
    public double thresholdForStrongShare(double strongShare) {
        if (strongShare < 0 || strongShare > 1) {
            throw new IllegalArgumentException("strong share must be in [0, 1], got " + strongShare);
        }
        return 1.0 - strongShare;
    }

    @Override
    public RouterInfo info() {
        return new RouterInfo(KIND, "seed-" + seed);
    }

    /** SplitMix64's finaliser: spreads the 32 bits of the checksum over 64, uniformly. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
