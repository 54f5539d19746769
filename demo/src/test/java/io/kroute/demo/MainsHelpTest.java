package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.runtime.ReferenceConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every component {@code ops/run} starts answers {@code --help} with its usage on standard output and returns before
 * it starts anything (so the JVM exits 0). The components are read from {@code ops/run} itself: one added there is
 * walked here.
 */
class MainsHelpTest {

    private static final Pattern COMPONENT = Pattern.compile("^\\s+([a-z-]+)\\)\\s+main=([\\w.]+)", Pattern.MULTILINE);

    @Test
    void every_component_of_ops_run_answers_help_with_its_usage() throws Exception {
        Path run = ReferenceConfig.file(ReferenceConfig.ROUTER_STREAM)
                .getParent()
                .resolveSibling("ops")
                .resolve("run");
        Map<String, String> mains = new LinkedHashMap<>();
        Matcher m = COMPONENT.matcher(Files.readString(run));
        while (m.find()) {
            mains.put(m.group(1), m.group(2));
        }
        assertThat(mains)
                .containsKeys(
                        "demo",
                        "kafka",
                        "router-stream",
                        "workers",
                        "batch-gateway",
                        "replay-llm",
                        "retrainer",
                        "rollback",
                        "publish",
                        "signing-keys",
                        "load-workers",
                        "load-router",
                        "load-batch");

        PrintStream original = System.out;
        try {
            for (Map.Entry<String, String> component : mains.entrySet()) {
                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                Method main = Class.forName(component.getValue()).getMethod("main", String[].class);
                main.invoke(null, (Object) new String[] {"--help"});
                System.setOut(original);
                assertThat(captured.toString(StandardCharsets.UTF_8))
                        .as(component.getKey() + " --help")
                        .startsWith("usage:");
            }
        } finally {
            System.setOut(original);
        }
    }
}
