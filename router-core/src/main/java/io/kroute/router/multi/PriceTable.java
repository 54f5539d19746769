package io.kroute.router.multi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model prices by name, from a JSON file {@code {"prices": {"model": {"input_per_million": x, "output_per_million":
 * y}}}}: the shipped {@value #ARENA_2023} (the Arena models' December 2023 list prices) or a file of the user's.
 */
public final class PriceTable {

    public static final String ARENA_2023 = "arena-2023";
    private static final long MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ModelPrice> prices;

    public PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** {@value #ARENA_2023} from the classpath, or a JSON file. */
    public static PriceTable load(String reference) {
        if (reference.equals(ARENA_2023)) {
            try (InputStream in = PriceTable.class.getResourceAsStream("/kroute/prices/" + ARENA_2023 + ".json")) {
                return parse(in.readAllBytes(), ARENA_2023);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path file = Path.of(reference);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(
                        "prices '" + reference + "' must be " + ARENA_2023 + " or a JSON file of at most 1 MiB");
            }
            return parse(Files.readAllBytes(file), reference);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PriceTable parse(byte[] json, String name) {
        Map<String, ModelPrice> out = new LinkedHashMap<>();
        try {
            JsonNode prices = JSON.readTree(json).path("prices");
            if (!prices.isObject()) {
                throw new IllegalArgumentException(name + ": no \"prices\" object");
            }
            var fields = prices.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                JsonNode in = e.getValue().get("input_per_million");
                JsonNode outPrice = e.getValue().get("output_per_million");
                if (in == null || !in.isNumber() || outPrice == null || !outPrice.isNumber()) {
                    throw new IllegalArgumentException(
                            name + ": model " + e.getKey() + " needs numbers input_per_million and output_per_million");
                }
                out.put(e.getKey(), new ModelPrice(in.asDouble(), outPrice.asDouble()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " is not JSON: " + e.getMessage(), e);
        }
        return new PriceTable(out);
    }

    /** The prices of these models, in order; one line naming every model without a price otherwise. */
    public List<ModelPrice> forModels(List<String> models) {
        List<String> missing = new ArrayList<>();
        List<ModelPrice> out = new ArrayList<>();
        for (String model : models) {
            ModelPrice p = prices.get(model);
            if (p == null) {
                missing.add(model);
            }
            out.add(p);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no price for model(s) " + missing + "; known: " + prices.keySet());
        }
        return out;
    }

    public Map<String, ModelPrice> all() {
        return prices;
    }
}
