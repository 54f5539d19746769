package io.kroute.workers;

/**
 * What a model costs, in USD per million tokens.
 *
 * @param inputPerMillion price of a million prompt tokens
 * @param outputPerMillion price of a million completion tokens
 */
public record ModelPrice(double inputPerMillion, double outputPerMillion) {

    public double costUsd(int promptTokens, int completionTokens) {
        return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1_000_000.0;
    }
}
