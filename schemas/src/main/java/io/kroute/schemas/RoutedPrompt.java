package io.kroute.schemas;

/** A prompt on a queue topic: the request as it arrived plus the router's decision. */
public record RoutedPrompt(PromptRequest request, RoutingDecision decision) {}
