package io.kroute.router;

/**
 * Turns a router reference from config or the command line into a {@link Router}: {@code random} (optionally
 * {@code random:SEED}), or the path of a trained router directory.
 */
public final class RouterLoader {

    private RouterLoader() {}

    public static Router load(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("router reference is empty: give 'random' or a router directory");
        }
        if (reference.equals(RandomRouter.KIND)) {
            return new RandomRouter(0);
        }
        if (reference.startsWith(RandomRouter.KIND + ":")) {
            String seed = reference.substring(RandomRouter.KIND.length() + 1);
            try {
                return new RandomRouter(Long.parseLong(seed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("random router seed is not a number: " + seed, e);
            }
        }
        throw new IllegalArgumentException("unknown router '" + reference + "': expected 'random' or 'random:SEED'");
    }
}
