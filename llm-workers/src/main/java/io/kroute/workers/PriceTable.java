package io.kroute.workers;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cost of a call in USD from the configured prices. The configured tier models are checked to have a price when the
 * config is validated; a model that still has none here (e.g. a provider answering under another name) costs 0 and is
 * warned about once, because dropping an answer that was already paid for would be worse than an undercount.
 */
public final class PriceTable {

    private static final Logger LOG = LoggerFactory.getLogger(PriceTable.class);

    private final Map<String, ModelPrice> prices;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    public double costUsd(String model, int promptTokens, int completionTokens) {
        ModelPrice price = prices.get(model);
        if (price == null) {
            if (warned.add(model)) {
                LOG.warn("no price configured for model {}; its calls are counted as costing 0 USD", model);
            }
            return 0.0;
        }
        return price.costUsd(promptTokens, completionTokens);
    }

    public boolean knows(String model) {
        return prices.containsKey(model);
    }
}
