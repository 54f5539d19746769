package io.kroute.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a preference label comes from. */
public enum FeedbackSource {
    HUMAN,
    JUDGE,
    GOLDEN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FeedbackSource fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
