package io.kroute.batch.http;

import io.kroute.batch.BatchGatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The bearer tokens the API accepts, each naming the owner of what it creates. */
public final class ApiKeys {

    /** Who called: the owner id of their jobs and files, and the tenant of their prompts. */
    public record Caller(String id, String tenant) {}

    private record Entry(byte[] token, Caller caller) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * @param env reads an environment variable
     * @throws IllegalArgumentException a key whose variable is unset or empty (naming the variable, never a value)
     */
    public static ApiKeys from(List<BatchGatewayConfig.ApiKey> keys, Function<String, String> env) {
        List<Entry> entries = new ArrayList<>();
        for (BatchGatewayConfig.ApiKey key : keys) {
            String token = env.apply(key.keyEnv());
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException(
                        "api key '" + key.id() + "': environment variable " + key.keyEnv() + " is not set");
            }
            String tenant = key.tenant() == null || key.tenant().isBlank() ? key.id() : key.tenant();
            entries.add(new Entry(token.strip().getBytes(StandardCharsets.UTF_8), new Caller(key.id(), tenant)));
        }
        return new ApiKeys(entries);
    }

    /** The caller an {@code Authorization} header names, or null. Compares in constant time, every key. */
    public Caller authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.token(), given)) {
                found = entry.caller();
            }
        }
        return found;
    }
}
