package io.kroute.cli;

/**
 * Runs an action when the JVM is asked to stop (Ctrl-C, SIGTERM) while a command runs, so the command ends cleanly:
 * sends flushed, consumer closed. Removed when the command ends on its own.
 */
final class OnShutdown {

    private final Thread hook;

    OnShutdown(Runnable action) {
        this.hook = new Thread(action, "kroute-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command ended on its own: the action is no longer needed. */
    void remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already stopping: the hook is running and ends the command itself
        }
    }
}
