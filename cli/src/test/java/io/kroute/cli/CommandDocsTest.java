package io.kroute.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/commands.md is what the command tree's annotations say, so the manual cannot drift from the code. */
class CommandDocsTest {

    private static final Path DOCS = Path.of("../docs/commands.md");

    @Test
    void the_committed_command_reference_is_the_generated_one() throws Exception {
        String generated = CommandDocs.markdown();
        if (Boolean.getBoolean("kroute.updateDocs")) {
            Files.writeString(DOCS, generated, StandardCharsets.UTF_8);
        }
        assertThat(generated).contains("## kroute batch submit").contains("--budget-usd");
        assertThat(Files.readString(DOCS, StandardCharsets.UTF_8))
                .as("docs/commands.md is stale: rerun CommandDocsTest with -Dkroute.updateDocs=true")
                .isEqualTo(generated);
    }
}
