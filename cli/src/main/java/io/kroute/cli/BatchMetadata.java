package io.kroute.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code metadata} of a new batch: the kroute settings the options name ({@code kroute_*} keys, which the gateway
 * reads) and the user's own pairs, within OpenAI's limits (16 pairs, keys up to 64 characters, values up to 512), so
 * a mistake is a usage error here rather than a 400 after the upload.
 */
final class BatchMetadata {

    static final String STRONG_SHARE = "kroute_strong_share";
    static final String BUDGET_USD = "kroute_budget_usd";
    static final String ON_BUDGET = "kroute_on_budget";
    static final String DEDUP = "kroute_dedup";

    static final int MAX_PAIRS = 16;
    static final int MAX_KEY_CHARS = 64;
    static final int MAX_VALUE_CHARS = 512;

    private BatchMetadata() {}

    /**
     * @param strongShare null when not set, as for the other settings
     * @param own the user's {@code --metadata} pairs; null for none
     * @throws IllegalArgumentException a one-line reason
     */
    static Map<String, String> of(
            Double strongShare, Double budgetUsd, OnBudget onBudget, boolean noDedup, Map<String, String> own) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (strongShare != null) {
            metadata.put(STRONG_SHARE, Numbers.plain(strongShare));
        }
        if (budgetUsd != null) {
            metadata.put(BUDGET_USD, Numbers.plain(budgetUsd));
        }
        if (onBudget != null) {
            metadata.put(ON_BUDGET, onBudget.wire());
        }
        if (noDedup) {
            metadata.put(DEDUP, "false");
        }
        if (own != null) {
            own.forEach((key, value) -> metadata.put(checked(key, value), value));
        }
        if (metadata.size() > MAX_PAIRS) {
            throw new IllegalArgumentException("a batch takes at most " + MAX_PAIRS
                    + " metadata pairs, the options and --metadata make " + metadata.size());
        }
        return metadata;
    }

    private static String checked(String key, String value) {
        String option = optionFor(key);
        if (option != null) {
            throw new IllegalArgumentException("set " + key + " with " + option + ", not --metadata");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("--metadata needs a key before '='");
        }
        if (key.length() > MAX_KEY_CHARS) {
            throw new IllegalArgumentException("--metadata key " + OneLine.printable(key, 20) + " is longer than "
                    + MAX_KEY_CHARS + " characters");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("--metadata " + OneLine.printable(key, MAX_KEY_CHARS)
                    + " has a value longer than " + MAX_VALUE_CHARS + " characters");
        }
        return key;
    }

    private static String optionFor(String key) {
        return switch (key) {
            case STRONG_SHARE -> "--strong-share";
            case BUDGET_USD -> "--budget-usd";
            case ON_BUDGET -> "--on-budget";
            case DEDUP -> "--no-dedup";
            default -> null;
        };
    }
}
