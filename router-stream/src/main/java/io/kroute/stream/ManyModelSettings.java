package io.kroute.stream;

import io.kroute.router.multi.CostAwareSelector;
import io.kroute.router.multi.ModelPrice;
import io.kroute.runtime.PropertiesConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How a many-model router-stream chooses among its models ({@code kroute.models} set): the queues with their models and
 * prices, and the selector's rule with its value, or for the trade-off a target from which the value is calibrated
 * on the predictor's calibration sample: an average cost per prompt, or a share of what the most capable model alone
 * would cost.
 *
 * @param value the rule's value (USD ceiling, quality tolerance or lambda); null when calibrated from a target
 * @param targetCostUsd the trade-off's target average expected cost per prompt; null otherwise
 * @param targetSpendShare the trade-off's target spend as a share of the most capable model's alone; null otherwise
 */
public record ManyModelSettings(
        List<ModelQueue> queues,
        CostAwareSelector.Rule rule,
        Double value,
        Double targetCostUsd,
        Double targetSpendShare) {

    public static final String MODELS = "kroute.models";
    public static final String SELECTOR = "kroute.selector";
    public static final String TARGET_COST = "kroute.selector.target-cost-usd";
    public static final String LAMBDA = "kroute.selector.lambda";
    public static final String COST_CEILING = "kroute.selector.cost-ceiling-usd";
    public static final String TARGET_SPEND_SHARE = "kroute.selector.target-spend-share";
    public static final String TOLERANCE = "kroute.selector.tolerance";
    public static final Set<String> KEYS =
            Set.of(MODELS, SELECTOR, TARGET_COST, TARGET_SPEND_SHARE, LAMBDA, COST_CEILING, TOLERANCE);

    /** Per model: {@code kroute.model.<queue>.<suffix>}. */
    public static final List<String> MODEL_SUFFIXES = List.of("name", "input-per-million", "output-per-million");

    public static final int MAX_MODELS = 32;
    private static final double MAX_USD = 1_000;

    public ManyModelSettings {
        queues = List.copyOf(queues);
    }

    /**
     * The many-model settings of a properties file, or null when {@code kroute.models} is not set; removes the
     * per-model keys from {@code props} so the caller's unknown-key check sees only its own.
     */
    static ManyModelSettings take(Properties props) {
        String list = PropertiesConfig.text(props, MODELS, "");
        Map<String, Map<String, String>> perModel = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            String[] parts = key.split("\\.");
            if (parts.length == 4 && parts[0].equals("kroute") && parts[1].equals("model")) {
                if (!MODEL_SUFFIXES.contains(parts[3])) {
                    throw new IllegalArgumentException(
                            "unknown key " + key + " (a model takes " + MODEL_SUFFIXES + ")");
                }
                perModel.computeIfAbsent(parts[2], q -> new LinkedHashMap<>())
                        .put(parts[3], props.getProperty(key).trim());
                props.remove(key);
            }
        }
        if (list.isEmpty()) {
            if (!perModel.isEmpty()) {
                throw new IllegalArgumentException(
                        "kroute.model." + perModel.keySet().iterator().next() + ".* is set but " + MODELS
                                + " is not: list the models' queues there");
            }
            for (String key : KEYS) {
                if (props.containsKey(key)) {
                    throw new IllegalArgumentException(key + " needs " + MODELS + " (a selector chooses among models)");
                }
            }
            return null;
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : list.split(",")) {
            String q = raw.strip();
            if (!io.kroute.schemas.Topics.isQueueName(q)) {
                throw new IllegalArgumentException(MODELS + ": queue name must match "
                        + io.kroute.schemas.Topics.QUEUE_NAME + " (it names topic llm-queue-<name>), got '" + q + "'");
            }
            if (!seen.add(q)) {
                throw new IllegalArgumentException(MODELS + " names queue '" + q + "' twice");
            }
            names.add(q);
        }
        if (names.size() < 2 || names.size() > MAX_MODELS) {
            throw new IllegalArgumentException(
                    MODELS + " must list from 2 to " + MAX_MODELS + " queues, got " + names.size());
        }
        for (String q : perModel.keySet()) {
            if (!names.contains(q)) {
                throw new IllegalArgumentException(
                        "kroute.model." + q + ".* is set but " + MODELS + " does not list " + q);
            }
        }
        List<ModelQueue> queues = new ArrayList<>();
        for (String q : names) {
            Map<String, String> m = perModel.getOrDefault(q, Map.of());
            String in = m.get("input-per-million");
            String out = m.get("output-per-million");
            if (in == null || out == null) {
                throw new IllegalArgumentException("model queue '" + q + "' has no price: set kroute.model." + q
                        + ".input-per-million and .output-per-million (USD per million tokens)");
            }
            queues.add(new ModelQueue(
                    q,
                    m.get("name"),
                    new ModelPrice(
                            price("kroute.model." + q + ".input-per-million", in),
                            price("kroute.model." + q + ".output-per-million", out))));
        }
        CostAwareSelector.Rule rule;
        try {
            rule = CostAwareSelector.Rule.parse(PropertiesConfig.text(props, SELECTOR, "trade-off"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SELECTOR + ": " + e.getMessage(), e);
        }
        Double value = null;
        Double target = null;
        Double spendShare = null;
        switch (rule) {
            case MAX_QUALITY_UNDER_COST:
                value = required(props, COST_CEILING, rule, 0, MAX_USD);
                refuse(props, rule, TARGET_COST, TARGET_SPEND_SHARE, LAMBDA, TOLERANCE);
                break;
            case CHEAPEST_WITHIN:
                value = required(props, TOLERANCE, rule, 0, 1e6);
                refuse(props, rule, TARGET_COST, TARGET_SPEND_SHARE, LAMBDA, COST_CEILING);
                break;
            default:
                refuse(props, rule, COST_CEILING, TOLERANCE);
                List<String> given = new ArrayList<>();
                for (String key : List.of(TARGET_COST, TARGET_SPEND_SHARE, LAMBDA)) {
                    if (!PropertiesConfig.text(props, key, "").isEmpty()) {
                        given.add(key);
                    }
                }
                if (given.size() != 1) {
                    throw new IllegalArgumentException("the trade-off selector needs exactly one of " + TARGET_COST
                            + ", " + TARGET_SPEND_SHARE + " and " + LAMBDA + (given.isEmpty() ? "" : "; got " + given));
                }
                switch (given.get(0)) {
                    case LAMBDA -> value = number(props, LAMBDA, 0, 1e12);
                    case TARGET_COST -> target = number(props, TARGET_COST, 0, MAX_USD);
                    default -> {
                        spendShare = number(props, TARGET_SPEND_SHARE, 0, 1);
                        if (spendShare == 0) {
                            throw new IllegalArgumentException(TARGET_SPEND_SHARE
                                    + " must be above 0 (the cheapest model alone: " + TARGET_COST + "=0)");
                        }
                    }
                }
        }
        return new ManyModelSettings(queues, rule, value, target, spendShare);
    }

    private static double price(String key, String text) {
        try {
            double v = Double.parseDouble(text);
            if (!(v >= 0 && v <= ModelPrice.MAX_PER_MILLION)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    key + " must be a number from 0 to " + ModelPrice.MAX_PER_MILLION + ", got '" + text + "'");
        }
    }

    private static double required(Properties props, String key, CostAwareSelector.Rule rule, double lo, double hi) {
        if (PropertiesConfig.text(props, key, "").isEmpty()) {
            throw new IllegalArgumentException(SELECTOR + "=" + rule.wireName() + " needs " + key);
        }
        return number(props, key, lo, hi);
    }

    private static double number(Properties props, String key, double lo, double hi) {
        String text = PropertiesConfig.text(props, key, "");
        try {
            double v = Double.parseDouble(text);
            if (!(v >= lo && v <= hi)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    key + " must be a number from " + lo + " to " + hi + ", got '" + text + "'");
        }
    }

    private static void refuse(Properties props, CostAwareSelector.Rule rule, String... keys) {
        for (String key : keys) {
            if (!PropertiesConfig.text(props, key, "").isEmpty()) {
                throw new IllegalArgumentException(key + " does not apply to " + SELECTOR + "=" + rule.wireName());
            }
        }
    }
}
