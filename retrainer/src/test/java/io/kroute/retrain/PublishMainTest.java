package io.kroute.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kroute.schemas.RouterModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kroute publish} makes of its options and the directory, before any broker is asked. */
class PublishMainTest {

    @Test
    void kind_and_version_come_from_the_model_card_and_the_files_travel_inline(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model-card.json"), "{\"kind\": \"quality-ridge\", \"version\": \"qr-7\"}");
        Files.writeString(dir.resolve("quality.onnx"), "graph");

        RouterModel model = PublishMain.model(PublishMain.parse(
                new String[] {"--bootstrap-servers", "h:1", "--dir", dir.toString(), "--channel", "arena"}));

        assertThat(model.channel()).isEqualTo("arena");
        assertThat(model.kind()).isEqualTo("quality-ridge");
        assertThat(model.version()).isEqualTo("qr-7");
        assertThat(model.files()).containsOnlyKeys("model-card.json", "quality.onnx");
    }

    @Test
    void a_directory_without_a_model_card_is_refused_in_one_line(@TempDir Path dir) {
        Map<String, String> options =
                PublishMain.parse(new String[] {"--bootstrap-servers", "h:1", "--dir", dir.toString()});

        assertThatThrownBy(() -> PublishMain.model(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a router directory");
    }

    @Test
    void a_damaged_card_or_a_directory_no_router_stream_would_unpack_is_refused_in_one_line(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("model-card.json"), "{not json");
        Map<String, String> options =
                PublishMain.parse(new String[] {"--bootstrap-servers", "h:1", "--dir", dir.toString()});
        assertThatThrownBy(() -> PublishMain.model(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read its model-card.json");

        Files.writeString(dir.resolve("model-card.json"), "{\"kind\": \"mf\", \"version\": \"mf-1\"}");
        for (int i = 0; i < RouterModel.MAX_FILES; i++) {
            Files.writeString(dir.resolve("extra-" + i), "x");
        }
        assertThatThrownBy(() -> PublishMain.model(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds more than " + RouterModel.MAX_FILES + " files");
    }

    @Test
    void bad_usage_names_what_is_wrong() {
        assertThatThrownBy(() -> PublishMain.parse(new String[] {"--dir", "x"})).hasMessageContaining("usage: publish");
        assertThatThrownBy(() -> PublishMain.parse(new String[] {"--bootstrap-servers", "h:1", "--to", "v"}))
                .hasMessageContaining("unknown option --to");
        assertThatThrownBy(() -> PublishMain.parse(new String[] {"--bootstrap-servers"}))
                .hasMessageContaining("--bootstrap-servers needs a value");
    }
}
