package io.kroute.router.encoder;

import java.util.List;

/**
 * Encodes the two ends of a long prompt: its first {@link #HEAD} and last {@link #TAIL} characters. An encoder reads a
 * bounded number of tokens from the start, so a few-shot prompt (the same worked examples, then the question) or a
 * long document with a question after it is encoded as its shared beginning, and every prompt of a task gets nearly
 * the same vector; the question is at the end. The beginning is kept too: it says what the task is.
 */
public final class EndsTextEncoder implements PromptEncoder {

    public static final String SUFFIX = "+ends-v1";
    /** Characters kept from the start: about 50 word pieces of English. */
    public static final int HEAD = 200;
    /** Characters kept from the end: about 200 word pieces, within MiniLM's 256 together with the head. */
    public static final int TAIL = 800;

    private static final String GAP = "\n...\n";

    private final PromptEncoder delegate;

    public EndsTextEncoder(PromptEncoder delegate) {
        this.delegate = delegate;
    }

    /** The text this encoder gives its delegate: the text itself when short, else its two ends. */
    public static String ends(String text) {
        if (text.length() <= HEAD + TAIL + GAP.length()) {
            return text;
        }
        int head = HEAD;
        int tail = text.length() - TAIL;
        // never split a surrogate pair
        if (Character.isHighSurrogate(text.charAt(head - 1))) {
            head--;
        }
        if (Character.isLowSurrogate(text.charAt(tail))) {
            tail++;
        }
        return text.substring(0, head) + GAP + text.substring(tail);
    }

    @Override
    public String id() {
        return delegate.id() + SUFFIX;
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[][] encode(List<String> prompts) {
        return delegate.encode(prompts.stream().map(EndsTextEncoder::ends).toList());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
