package io.kroute.workers;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link ResilientChatClient} per provider named in the config, shared by every queue naming it: a queue's
 * fallback calls go through the fallback provider's own limits, bulkhead and breaker, not around them. The client and
 * the resilience set take their settings from the first queue naming the provider.
 */
public final class Providers {

    private final Map<String, ResilientChatClient> clients;

    private Providers(Map<String, ResilientChatClient> clients) {
        this.clients = clients;
    }

    public static Providers create(
            Vertx vertx, WorkerConfig config, ProviderResilience.Registries registries, WorkerMetrics metrics) {
        Map<String, ResilientChatClient> clients = new LinkedHashMap<>();
        for (TierConfig section : config.queues().values()) {
            clients.computeIfAbsent(
                    section.provider(),
                    name -> new ResilientChatClient(
                            vertx,
                            OpenAiChatClient.forTier(vertx, section),
                            ProviderResilience.of(registries, section),
                            metrics));
        }
        return new Providers(clients);
    }

    public ResilientChatClient client(String provider) {
        ResilientChatClient client = clients.get(provider);
        if (client == null) {
            throw new IllegalArgumentException("no provider named " + provider);
        }
        return client;
    }

    public Future<Void> close() {
        List<Future<Void>> closed = new ArrayList<>();
        clients.values().forEach(client -> closed.add(client.close()));
        return Future.join(closed).mapEmpty();
    }
}
