package io.kroute.router.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --key value} options after a command; unknown or repeated keys are errors, so a typo is never ignored. */
final class Args {

    private final Map<String, String> values = new HashMap<>();
    private final List<String> given;

    Args(List<String> args, Set<String> allowed) {
        this.given = List.copyOf(args);
        for (int i = 0; i < args.size(); i++) {
            String key = args.get(i);
            if (!key.startsWith("--")) {
                throw new UsageException("unexpected argument '" + key + "'");
            }
            String name = key.substring(2);
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option '" + key + "'; this command takes "
                        + allowed.stream().sorted().map(a -> "--" + a).toList());
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new UsageException("option '" + key + "' needs a value");
            }
            if (values.put(name, args.get(++i)) != null) {
                throw new UsageException("option '" + key + "' given twice");
            }
        }
    }

    /** The options as given, for a report's "what was run". */
    String commandLine() {
        return String.join(" ", given);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    double number(String name, double fallback, double min, double max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not a number: " + v);
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
