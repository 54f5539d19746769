package io.kroute.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an answer was obtained. */
public enum ResponseStatus {
    /** The model of the routed tier answered. */
    OK,
    /** The routed tier failed and the fallback tier answered. */
    FALLBACK;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ResponseStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
