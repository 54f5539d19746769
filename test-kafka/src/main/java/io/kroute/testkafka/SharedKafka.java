package io.kroute.testkafka;

/** The JVM-wide cluster behind {@link TestKafka#shared()}. */
final class SharedKafka {

    private static TestKafka shared;

    private SharedKafka() {}

    static synchronized TestKafka get() {
        if (shared == null) {
            try {
                shared = TestKafka.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka cluster", e);
            }
            TestKafka cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                } catch (Exception e) {
                    // the JVM is exiting; nothing outlives it
                }
            }));
        }
        return shared;
    }
}
