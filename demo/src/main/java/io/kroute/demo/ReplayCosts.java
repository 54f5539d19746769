package io.kroute.demo;

import io.kroute.replay.ChatCompletions;
import io.kroute.replay.ReplayDataset;
import io.kroute.replay.ReplayItem;
import io.kroute.replay.TokenCounter;
import io.kroute.workers.PriceTable;
import io.kroute.workers.WorkerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * What a recorded prompt costs on a model: the replay endpoint's own usage accounting (the same function that answers
 * the workers) times the workers' default price table, so a report's "all strong" cost matches what the pipeline
 * would really have been billed.
 */
final class ReplayCosts {

    private final ChatCompletions completions;
    private final PriceTable prices;

    ReplayCosts(ReplayDataset dataset) {
        this(dataset, WorkerConfig.defaults().prices());
    }

    /** With these prices (the many-model demo's workers'). */
    ReplayCosts(ReplayDataset dataset, java.util.Map<String, io.kroute.workers.ModelPrice> prices) {
        this.completions = new ChatCompletions(dataset, new TokenCounter(), Clock.systemUTC());
        this.prices = new PriceTable(prices);
    }

    double costUsd(String model, ReplayItem item) {
        return costUsd(model, item, DemoRun.MAX_TOKENS);
    }

    double costUsd(String model, ReplayItem item, int maxTokens) {
        JsonObject usage = completions
                .complete(new JsonObject()
                        .put("model", model)
                        .put("max_tokens", maxTokens)
                        .put(
                                "messages",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("role", "user")
                                                .put("content", item.prompt()))))
                .getJsonObject("usage");
        return prices.costUsd(model, usage.getInteger("prompt_tokens"), usage.getInteger("completion_tokens"));
    }
}
