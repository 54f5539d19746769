package io.kroute.router.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word unigrams and bigrams of a prompt, hashed into a fixed number of buckets: the lexical half of the
 * {@code ridge-knn} router. Tokens are runs of lower-case ASCII letters, runs of digits, or any other single
 * non-space character; each distinct n-gram's count c becomes the sublinear term frequency 1 + ln(c).
 * The hash (FNV-1a over the UTF-16 units, then a murmur finaliser) is part of {@link #VERSION}, which a router
 * records, so a router is never fed the buckets of another scheme.
 */
public final class WordNgrams {

    public static final String VERSION = "words-1-2-fnv1a-v1";

    private static final Pattern TOKEN = Pattern.compile("[a-z]+|\\d+|[^\\sa-z\\d]");
    private static final char BIGRAM_JOIN = '\u0001';

    /** Distinct buckets in ascending order with their sublinear term frequencies. */
    public record Counts(int[] buckets, float[] tf) {
        public int size() {
            return buckets.length;
        }
    }

    private final int buckets;

    public WordNgrams(int buckets) {
        if (buckets < 2 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two >= 2, got " + buckets);
        }
        this.buckets = buckets;
    }

    public int buckets() {
        return buckets;
    }

    public Counts count(String text) {
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        Map<Integer, Integer> counts = new HashMap<>();
        String previous = null;
        while (m.find()) {
            String token = m.group();
            counts.merge(bucket(token), 1, Integer::sum);
            if (previous != null) {
                counts.merge(bucket(previous + BIGRAM_JOIN + token), 1, Integer::sum);
            }
            previous = token;
        }
        int[] ids = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(ids);
        float[] tf = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tf[i] = (float) (1 + Math.log(counts.get(ids[i])));
        }
        return new Counts(ids, tf);
    }

    int bucket(String gram) {
        int h = 0x811c9dc5;
        for (int i = 0; i < gram.length(); i++) {
            h ^= gram.charAt(i);
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (buckets - 1);
    }
}
