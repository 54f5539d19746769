package io.kroute.batch.ledger;

import java.util.Locale;
import java.util.Map;

/**
 * What a job asked for through its batch {@code metadata} (keys {@code kroute_*}), read once when it is created.
 *
 * @param budgetUsd the most the job may spend, or null for no budget
 * @param onBudget what happens to the rest when the budget runs short
 * @param dedup whether identical requests are answered once (on unless the job opts out)
 * @param strongShare the share of the job's requests to send to the strong tier, or null for the deployment's: the
 *     router-stream routes each of them with the threshold for this share on its recent traffic
 */
public record JobSettings(Double budgetUsd, OnBudget onBudget, boolean dedup, Double strongShare) {

    public static final String BUDGET = "kroute_budget_usd";
    public static final String ON_BUDGET = "kroute_on_budget";
    public static final String DEDUP = "kroute_dedup";
    public static final String STRONG_SHARE = "kroute_strong_share";

    /** When a request does not fit the budget left: send it to the cheaper model, or wait for calls to settle. */
    public enum OnBudget {
        CHEAPER,
        WAIT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final JobSettings DEFAULT = new JobSettings(null, OnBudget.CHEAPER, true, null);

    /**
     * The settings a job's metadata names.
     *
     * @throws IllegalArgumentException a one-line reason naming the key, for the API's 400
     */
    public static JobSettings from(Map<String, String> metadata) {
        Double budget = null;
        String given = metadata.get(BUDGET);
        if (given != null) {
            try {
                budget = Double.parseDouble(given.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "metadata." + BUDGET + " must be a number of USD, got '" + given + "'");
            }
            if (!(budget > 0) || budget.isInfinite()) {
                throw new IllegalArgumentException("metadata." + BUDGET + " must be above 0, got '" + given + "'");
            }
        }
        OnBudget onBudget = OnBudget.CHEAPER;
        String mode = metadata.get(ON_BUDGET);
        if (mode != null) {
            onBudget = switch (mode.strip().toLowerCase(Locale.ROOT)) {
                case "cheaper" -> OnBudget.CHEAPER;
                case "wait" -> OnBudget.WAIT;
                default -> throw new IllegalArgumentException(
                        "metadata." + ON_BUDGET + " must be 'cheaper' or 'wait', got '" + mode + "'");
            };
        }
        boolean dedup = true;
        String flag = metadata.get(DEDUP);
        if (flag != null) {
            dedup = switch (flag.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(
                        "metadata." + DEDUP + " must be 'true' or 'false', got '" + flag + "'");
            };
        }
        Double share = null;
        String wanted = metadata.get(STRONG_SHARE);
        if (wanted != null) {
            try {
                share = Double.parseDouble(wanted.strip());
            } catch (NumberFormatException e) {
                share = Double.NaN;
            }
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "metadata." + STRONG_SHARE + " must be a number from 0 to 1, got '" + wanted + "'");
            }
        }
        return new JobSettings(budget, onBudget, dedup, share);
    }
}
