package io.kroute.router;

/**
 * Identifies a router.
 *
 * @param kind the router kind, e.g. {@code random}, {@code sw-ranking}, {@code mf}
 * @param version the version of the trained model (for {@code random}, its seed)
 */
public record RouterInfo(String kind, String version) {}
