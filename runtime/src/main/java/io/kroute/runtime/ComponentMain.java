package io.kroute.runtime;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every component's {@code main} does once it has parsed its arguments: start the App, keep the process alive
 * until SIGTERM, then close the App. A setting the App refuses or a cluster that does not answer is one line on
 * stderr and exit 2; anything else that stops the start is logged with its cause and exit 1.
 */
public final class ComponentMain {

    /** Starts a component; may throw IllegalArgumentException (bad settings) or BrokerUnreachableException. */
    @FunctionalInterface
    public interface Starter {
        AutoCloseable start() throws Exception;
    }

    private ComponentMain() {}

    /** The logging a component uses unless {@code -Dlogback.configurationFile} names another. */
    public static final String LOGBACK_CONFIG = "kroute-logback.xml";

    public static void run(String name, Starter starter) {
        // before the first logger exists; a logging config given with -D wins
        System.setProperty(
                "logback.configurationFile", System.getProperty("logback.configurationFile", LOGBACK_CONFIG));
        AutoCloseable app;
        try {
            app = starter.start();
        } catch (IllegalArgumentException | BrokerUnreachableException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            LoggerFactory.getLogger(ComponentMain.class).error("{} cannot start", name, e);
            System.exit(1);
            return;
        }
        Logger log = LoggerFactory.getLogger(ComponentMain.class);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping {}", name);
                            try {
                                app.close();
                            } catch (Exception e) {
                                log.warn("{} did not stop cleanly: {}", name, e.toString());
                            }
                            stopped.countDown();
                        },
                        name + "-shutdown"));
        log.info("{} running; SIGTERM stops it", name);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
