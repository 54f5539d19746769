package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong(1_000_000);

    private ProgressLine line(boolean terminal) {
        return new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, now::get);
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void in_a_log_it_writes_whole_lines_every_few_seconds_and_one_at_the_end() {
        ProgressLine progress = line(false);

        for (int done = 0; done < 100; done++) {
            now.addAndGet(1_000); // one update a second
            progress.update(done, 100);
        }
        progress.update(100, 100);
        progress.end();

        assertThat(written()).doesNotContain("\r");
        assertThat(written().lines()).hasSize(21).last().asString().startsWith("[demo] 100/100 outcomes");
    }

    @Test
    void on_a_terminal_it_rewrites_one_line_and_ends_it() {
        ProgressLine progress = line(true);

        progress.update(1, 3);
        progress.update(2, 3);
        progress.end();

        assertThat(written())
                .startsWith("\r[demo] 1/3")
                .contains("\r[demo] 2/3")
                .endsWith(System.lineSeparator());
        assertThat(written().chars().filter(c -> c == '\n')).hasSize(1);
    }
}
