package io.kroute.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading a component's properties file the same way everywhere: every value type-checked and range-checked where it
 * is read, refused in one line that names the key (NaN, infinities, fractions where whole numbers belong, and unknown
 * keys of the component's own namespace included), so a typo never falls back to a default in silence.
 */
public final class PropertiesConfig {

    private PropertiesConfig() {}

    public static Properties read(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        return props;
    }

    /** A copy with some keys replaced; a null value removes the key. */
    public static Properties overridden(Properties props, Map<String, String> overrides) {
        Properties copy = copy(props);
        overrides.forEach((key, value) -> {
            if (value == null) {
                copy.remove(key);
            } else {
                copy.setProperty(key, value);
            }
        });
        return copy;
    }

    public static Properties copy(Properties props) {
        Properties copy = new Properties();
        for (String name : props.stringPropertyNames()) {
            copy.setProperty(name, props.getProperty(name));
        }
        return copy;
    }

    /**
     * The keys outside {@code prefix} (trimmed values), which the component passes on to Kafka; throws when a key
     * inside it is not one of {@code known}.
     */
    public static Properties splitOff(Properties props, String prefix, Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        Properties others = new Properties();
        for (String name : props.stringPropertyNames()) {
            if (!name.startsWith(prefix)) {
                others.setProperty(name, props.getProperty(name).trim());
            } else if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown key " + String.join(", ", unknown) + " (known: " + new TreeSet<>(known) + ")");
        }
        return others;
    }

    public static String text(Properties props, String key, String fallback) {
        return props.getProperty(key, fallback).trim();
    }

    /** A number in [0, 1]: a share or a threshold. */
    public static double fraction(Properties props, String key, double fallback) {
        String value = text(props, key, "");
        if (value.isEmpty()) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
        }
        if (!(parsed >= 0 && parsed <= 1)) {
            throw new IllegalArgumentException(key + " must be in [0, 1], got '" + value + "'");
        }
        return parsed;
    }

    public static long whole(Properties props, String key, long fallback, long min, long max) {
        String value = text(props, key, "");
        if (value.isEmpty()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a whole number: '" + value + "'", e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + parsed);
        }
        return parsed;
    }
}
