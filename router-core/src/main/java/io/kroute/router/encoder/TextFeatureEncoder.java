package io.kroute.router.encoder;

import java.util.List;

/**
 * Appends a few surface features of the text to another encoder's vector: length in characters, words and lines
 * (log-scaled), and the share of digits. Sentence embeddings are length-normalised and say little about how long
 * or how numeric a prompt is, while length alone already separates hard from easy prompts (the length baseline).
 */
public final class TextFeatureEncoder implements PromptEncoder {

    public static final String SUFFIX = "+textfeatures-v1";
    public static final int FEATURES = 4;

    private final PromptEncoder delegate;

    public TextFeatureEncoder(PromptEncoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public String id() {
        return delegate.id() + SUFFIX;
    }

    @Override
    public int dimension() {
        return delegate.dimension() + FEATURES;
    }

    @Override
    public float[][] encode(List<String> prompts) {
        float[][] base = delegate.encode(prompts);
        float[][] out = new float[base.length][];
        for (int i = 0; i < base.length; i++) {
            out[i] = java.util.Arrays.copyOf(base[i], base[i].length + FEATURES);
            float[] f = features(prompts.get(i));
            System.arraycopy(f, 0, out[i], base[i].length, FEATURES);
        }
        return out;
    }

    /** Scaled to roughly [0, 1] so that they weigh like embedding components after a linear layer. */
    static float[] features(String text) {
        int digits = 0;
        int lines = 1;
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                digits++;
            }
            if (c == '\n') {
                lines++;
            }
            boolean letter = !Character.isWhitespace(c);
            if (letter && !inWord) {
                words++;
            }
            inWord = letter;
        }
        return new float[] {
            (float) (Math.log1p(text.length()) / 8.0),
            (float) (Math.log1p(words) / 7.0),
            (float) (Math.log1p(lines) / 4.0),
            text.isEmpty() ? 0f : (float) Math.min(1.0, 4.0 * digits / text.length())
        };
    }

    @Override
    public void close() {
        delegate.close();
    }
}
