package io.kroute.workers;

import java.util.regex.Pattern;

/**
 * Hides key-shaped text in what a provider says before it can reach a log line, a metric or a dead letter: some
 * providers echo the key they were sent in a 401 body, and the dead-letter topic is read by more people than the key
 * is meant for. Masked: the configured key wherever it appears, OpenAI-style keys ({@code sk-...}), bearer tokens, and
 * the value after {@code api_key}, {@code access_token} or {@code authorization}.
 */
final class SecretMask {

    static final String MASK = "***";

    /** A configured key shorter than this is not searched for: masking every "k" would only garble the message. */
    static final int MIN_KEY_CHARS = 8;

    private static final Pattern KEY_SHAPED = Pattern.compile("sk-[A-Za-z0-9_-]{16,}|(?i)bearer\\s+[^\\s\"',;]+");
    private static final Pattern NAMED_SECRET = Pattern.compile(
            "(?i)((?:api[_-]?key|access[_-]?token|authorization)[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"'&,;]+");

    private final String key;

    SecretMask(String key) {
        this.key = key != null && key.length() >= MIN_KEY_CHARS ? key : null;
    }

    String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = key == null ? text : text.replace(key, MASK);
        masked = KEY_SHAPED.matcher(masked).replaceAll(MASK);
        return NAMED_SECRET.matcher(masked).replaceAll("$1" + MASK);
    }
}
