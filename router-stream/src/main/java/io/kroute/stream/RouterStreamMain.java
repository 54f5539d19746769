package io.kroute.stream;

import io.kroute.router.Router;
import io.kroute.router.RouterLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code router-stream --config etc/router-stream.properties}: loads config and the router, runs until SIGTERM. */
public final class RouterStreamMain {

    private RouterStreamMain() {}

    public static void main(String[] args) throws InterruptedException {
        RouterStreamSettings settings;
        Router router;
        try {
            settings = RouterStreamSettings.load(configPath(args));
            router = RouterLoader.load(settings.routerReference());
        } catch (IllegalArgumentException e) {
            System.err.println("router-stream: " + e.getMessage());
            System.exit(2);
            return;
        }
        RouterStreamApp app = RouterStreamApp.start(settings.streams(), settings.topics(), settings.policy(router));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            stopped.countDown();
                        },
                        "router-stream-shutdown"));
        stopped.await();
    }

    static Path configPath(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            throw new IllegalArgumentException("usage: router-stream --config <file.properties>");
        }
        Path path = Path.of(args[1]);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("config file not readable: " + path);
        }
        return path;
    }
}
