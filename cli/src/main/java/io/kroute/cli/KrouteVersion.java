package io.kroute.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version Maven wrote into {@code version.properties} at build time, so {@code --version} never goes stale, and the
 * versions of the routers shipped in this build.
 */
final class KrouteVersion implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = KrouteVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "kroute " + properties.getProperty("version", "(unknown version)"),
            "default router " + shipped(io.kroute.router.RouterLoader.DEFAULT_RESOURCE),
            "many-model predictor " + shipped("kroute/routers/arena-predictor")
        };
    }

    /** The version on a shipped router's card, read without loading the router. */
    private static String shipped(String base) throws IOException {
        try (InputStream in =
                KrouteVersion.class.getResourceAsStream("/" + base + "/" + io.kroute.router.ModelCard.FILE)) {
            return in == null
                    ? "(not on the classpath)"
                    : io.kroute.router.ModelCard.fromJson(in.readAllBytes()).version();
        }
    }
}
