package io.kroute.retrain;

import io.kroute.runtime.ComponentMain;
import io.kroute.runtime.Usage;
import java.nio.file.Path;

/**
 * {@code ops/run retrainer --config etc/retrainer.properties}: loads the file and starts {@link RetrainerApp} (the
 * feedback join, the retrainer, and the judge labeller when configured) until SIGTERM. A bad file or an unreachable
 * cluster: one line on stderr, exit 2.
 */
public final class RetrainerMain {

    static final String USAGE = "usage: retrainer --config <file.properties>   (reference: etc/retrainer.properties)";

    private RetrainerMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        ComponentMain.run("retrainer", () -> RetrainerApp.start(RetrainerConfig.load(configPath(args))));
    }

    static Path configPath(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            throw new IllegalArgumentException(USAGE);
        }
        return Path.of(args[1]);
    }
}
