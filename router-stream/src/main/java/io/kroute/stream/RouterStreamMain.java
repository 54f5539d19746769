package io.kroute.stream;

import io.kroute.runtime.ComponentMain;
import io.kroute.runtime.Usage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code router-stream --config etc/router-stream.properties}: loads the file and starts {@link RouterStreamApp}, until
 * SIGTERM. A bad file or an unreachable cluster: one line on stderr, exit 2.
 */
public final class RouterStreamMain {

    static final String USAGE =
            "usage: router-stream --config <file.properties>   (reference: etc/router-stream.properties)";

    private RouterStreamMain() {}

    public static void main(String[] args) {
        if (Usage.helpAsked(args, USAGE)) {
            return;
        }
        ComponentMain.run("router-stream", () -> RouterStreamApp.start(RouterStreamSettings.load(configPath(args))));
    }

    static Path configPath(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path path = Path.of(args[1]);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("config file not readable: " + path);
        }
        return path;
    }
}
