package io.kroute.demo;

import io.kroute.replay.FaultOptions;
import io.kroute.schemas.Tier;
import java.util.Locale;

/**
 * The faults the demo's replay providers inject, from {@code --faults}: a comma-separated list of
 * {@code 500=RATE}, {@code 503=RATE}, {@code 429=RATE}, {@code timeout=RATE}, {@code drop=RATE} (shares of the calls,
 * applied to both providers) and {@code outage=TIER:DURATION[@START]} (that tier's provider answers 503 to everything
 * for DURATION, from START after its first call; seconds, with an optional {@code s}; START defaults to 5 s).
 *
 * @param rates the per-call failures of both providers
 * @param outageTier the provider that goes down, or null
 * @param outage its outage, or null
 */
public record DemoFaults(FaultOptions rates, Tier outageTier, FaultOptions.Outage outage) {

    public static DemoFaults none() {
        return new DemoFaults(FaultOptions.none(), null, null);
    }

    public boolean any() {
        return rates.any() || outage != null;
    }

    /** The faults of one tier's provider, seeded per tier so the two do not fail in step. */
    public FaultOptions forTier(Tier tier, long seed) {
        FaultOptions options = rates.withSeed(seed * 31 + tier.ordinal());
        return tier == outageTier ? options.withOutage(outage) : options;
    }

    public static DemoFaults parse(String spec) {
        FaultOptions rates = FaultOptions.none();
        Tier outageTier = null;
        FaultOptions.Outage outage = null;
        for (String part : spec.split(",")) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--faults: expected KIND=VALUE, got '" + item + "'");
            }
            String kind = item.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = item.substring(eq + 1);
            switch (kind) {
                case "500" -> rates = rates.withServerError(rate(kind, value));
                case "503" -> rates = rates.withUnavailable(rate(kind, value));
                case "429" -> rates = rates.withRateLimited(rate(kind, value), rates.retryAfterSeconds());
                case "timeout" -> rates = rates.withTimeout(rate(kind, value));
                case "drop" -> rates = rates.withDropped(rate(kind, value));
                case "outage" -> {
                    int colon = value.indexOf(':');
                    if (colon < 1) {
                        throw new IllegalArgumentException(
                                "--faults: outage=TIER:DURATION[@START], got '" + value + "'");
                    }
                    outageTier = tier(value.substring(0, colon));
                    String window = value.substring(colon + 1);
                    int at = window.indexOf('@');
                    long durationMs = seconds(at < 0 ? window : window.substring(0, at));
                    long startMs = at < 0 ? 5_000 : seconds(window.substring(at + 1));
                    if (durationMs < 1) {
                        throw new IllegalArgumentException("--faults: the outage needs a duration > 0");
                    }
                    outage = new FaultOptions.Outage(startMs, durationMs);
                }
                default -> throw new IllegalArgumentException(
                        "--faults: unknown kind '" + kind + "' (500, 503, 429, timeout, drop, outage)");
            }
        }
        try {
            // re-validates the sum of the rates
            rates = new FaultOptions(
                    rates.rateLimited(),
                    rates.serverError(),
                    rates.unavailable(),
                    rates.timeout(),
                    rates.dropped(),
                    rates.retryAfterSeconds(),
                    rates.seed());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--faults: " + e.getMessage());
        }
        return new DemoFaults(rates, outageTier, outage);
    }

    private static double rate(String kind, String value) {
        double rate;
        try {
            rate = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--faults: " + kind + " needs a rate in [0, 1], got '" + value + "'");
        }
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("--faults: " + kind + " needs a rate in [0, 1], got '" + value + "'");
        }
        return rate;
    }

    private static Tier tier(String value) {
        try {
            return Tier.fromWire(value.toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--faults: outage tier must be strong or weak, got '" + value + "'");
        }
    }

    private static long seconds(String value) {
        String number = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
        try {
            return Math.round(Double.parseDouble(number) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--faults: expected seconds like 10s, got '" + value + "'");
        }
    }
}
