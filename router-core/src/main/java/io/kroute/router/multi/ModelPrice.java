package io.kroute.router.multi;

/**
 * What a model costs, in USD per million tokens of input and of output.
 *
 * @param inputPerMillion USD per million prompt tokens, from 0 to {@value #MAX_PER_MILLION}
 * @param outputPerMillion USD per million completion tokens, from 0 to {@value #MAX_PER_MILLION}
 */
public record ModelPrice(double inputPerMillion, double outputPerMillion) {

    /** Far above any real price, so a cost over bounded tokens stays a finite number. */
    public static final double MAX_PER_MILLION = 1_000_000;

    public ModelPrice {
        check("input_per_million", inputPerMillion);
        check("output_per_million", outputPerMillion);
    }

    /** USD for one call with these token counts. */
    public double cost(double promptTokens, double completionTokens) {
        return (promptTokens * inputPerMillion + completionTokens * outputPerMillion) / 1e6;
    }

    private static void check(String name, double value) {
        if (!(value >= 0 && value <= MAX_PER_MILLION)) {
            throw new IllegalArgumentException(name + " must be from 0 to " + MAX_PER_MILLION + ", got " + value);
        }
    }
}
