package io.kroute.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two queues a prompt can be routed to. */
public enum Tier {
    STRONG,
    WEAK;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Tier fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public Tier other() {
        return this == STRONG ? WEAK : STRONG;
    }
}
