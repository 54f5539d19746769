package io.kroute.demo;

/**
 * One benchmark prompt the demo sends, with what is known about it in advance from the recorded data.
 *
 * @param id the request id
 * @param strongCorrect whether the strong model's recorded answer is correct
 * @param weakCorrect whether the weak model's recorded answer is correct
 * @param allStrongCostUsd what this prompt costs when the strong model answers it (recorded usage x price table)
 */
public record DemoItem(String id, boolean strongCorrect, boolean weakCorrect, double allStrongCostUsd) {

    public boolean correctFor(boolean strong) {
        return strong ? strongCorrect : weakCorrect;
    }
}
