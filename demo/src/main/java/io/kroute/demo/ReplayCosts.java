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
    private final PriceTable prices = new PriceTable(WorkerConfig.defaults().prices());

    ReplayCosts(ReplayDataset dataset) {
        this.completions = new ChatCompletions(dataset, new TokenCounter(), Clock.systemUTC());
    }

    double costUsd(String model, ReplayItem item) {
        JsonObject usage = completions
                .complete(new JsonObject()
                        .put("model", model)
                        .put("max_tokens", DemoRun.MAX_TOKENS)
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
