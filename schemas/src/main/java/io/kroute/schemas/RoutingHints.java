package io.kroute.schemas;

/**
 * Optional per-request routing hints.
 *
 * @param forceTier send the prompt to this tier whatever the router scores (null: let the router decide)
 */
public record RoutingHints(Tier forceTier) {}
