package io.kroute.workers;

/**
 * What a model costs, in USD per million tokens.
 *
 * @param inputPerMillion price of a million prompt tokens
 * @param outputPerMillion price of a million completion tokens
 */
public record ModelPrice(double inputPerMillion, double outputPerMillion) {

    /**
     * In doubles, from counts the chat client took only from 0 to 10 million and prices validated from 0 to a million
     * USD: finite and never negative.
     */
    public double costUsd(int promptTokens, int completionTokens) {
        return ((double) promptTokens * inputPerMillion + (double) completionTokens * outputPerMillion) / 1_000_000.0;
    }
}
