package io.kroute.workers;

import io.kroute.runtime.YamlConfig;
import java.nio.file.Path;

/**
 * Reads a {@link WorkerConfig} from YAML: the file's values are laid over {@link WorkerConfig#defaults()} key by key,
 * so a file only names what it changes. Unknown keys are errors, so a typo cannot silently fall back to a default.
 */
public final class WorkerConfigLoader {

    private WorkerConfigLoader() {}

    /**
     * @throws IllegalArgumentException with a one-line reason naming the file: missing, not YAML, unknown key, bad
     *     value
     */
    public static WorkerConfig load(Path file) {
        String text = YamlConfig.read(file);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The config as YAML that {@link #parse(String)} reads back to an equal config (an API key given in code is left out). */
    public static String toYaml(WorkerConfig config) {
        return YamlConfig.toYaml(config);
    }

    /** Parses YAML text; see {@link #load(Path)}. */
    public static WorkerConfig parse(String yaml) {
        return YamlConfig.parse(yaml, WorkerConfig.defaults(), WorkerConfig.class, overrides -> {
                    for (String tier : new String[] {"strong", "weak"}) {
                        if (overrides.path(tier).has("api_key")) {
                            throw new IllegalArgumentException(tier
                                    + ".api_key is not allowed: put the key in an environment variable and name it in "
                                    + tier + ".api_key_env");
                        }
                    }
                })
                .validate();
    }
}
