package io.kroute.router.multi;

/**
 * Token counts estimated from text, before any call: about four characters a token for English text, the same rule
 * the workers' token rate limiter uses. Selection only compares models, so a shared estimate errs alike for all.
 */
public final class Tokens {

    private Tokens() {}

    public static int estimate(String text) {
        return estimateFromChars(text.length());
    }

    public static int estimateFromChars(long chars) {
        return (int) Math.min(Integer.MAX_VALUE, (chars + 3) / 4);
    }
}
