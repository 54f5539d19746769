package io.kroute.cli;

import java.util.Locale;

/** What the gateway does with a request that does not fit the budget left (metadata {@code kroute_on_budget}). */
enum OnBudget {
    /** Send it to the cheaper model. */
    CHEAPER,
    /** Hold it until calls in flight settle and give back what they had reserved. */
    WAIT;

    /** As the metadata value {@code kroute_on_budget} carries it. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
