package io.kroute.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterModelTest {

    private static Path routerDir(Path root) throws Exception {
        Path dir = root.resolve("router");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("model-card.json"), "{\"kind\":\"mf\"}");
        Files.write(dir.resolve("sub/mf.onnx"), new byte[] {1, 2, 3, 4});
        return dir;
    }

    @Test
    void inline_artifact_round_trips_through_the_topic_codec_and_verifies(@TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, "promoted");

        RouterModel decoded = Codecs.ROUTER_MODEL.decode(Codecs.ROUTER_MODEL.encode(model));
        Path out = decoded.materialize(tmp.resolve("out"));

        assertThat(decoded).isEqualTo(model);
        assertThat(Files.readAllBytes(out.resolve("sub/mf.onnx"))).containsExactly(1, 2, 3, 4);
        assertThat(Files.readString(out.resolve("model-card.json"))).isEqualTo("{\"kind\":\"mf\"}");
    }

    @Test
    void an_artifact_above_the_inline_limit_travels_by_location(@TempDir Path tmp) throws Exception {
        Path dir = routerDir(tmp); // 13 + 4 bytes
        RouterModel small = RouterModel.of("default", "v2", "mf", dir, 5, null, 17);
        RouterModel large = RouterModel.of("default", "v2", "mf", dir, 5, null, 16);

        assertThat(small.files()).containsOnlyKeys("model-card.json", "sub/mf.onnx");
        assertThat(small.location()).isNull();
        assertThat(large.files()).isNull();
        assertThat(large.location()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(large.sha256()).isEqualTo(small.sha256());
    }

    @Test
    void a_tampered_artifact_is_refused(@TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, null);
        Map<String, String> files = new HashMap<>(model.files());
        files.put("sub/mf.onnx", "AAAA");
        RouterModel tampered = new RouterModel("default", "v2", "mf", model.sha256(), files, null, 5, null);

        assertThatThrownBy(() -> tampered.materialize(tmp.resolve("out")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void location_artifact_is_verified_in_place(@TempDir Path tmp) throws Exception {
        Path dir = routerDir(tmp);
        RouterModel model = RouterModel.byLocation("default", "v3", "mf", dir, 5, null);

        assertThat(model.materialize(tmp.resolve("unused"))).isEqualTo(dir.toAbsolutePath());
        Files.write(dir.resolve("sub/mf.onnx"), new byte[] {9});
        assertThatThrownBy(() -> model.materialize(tmp.resolve("unused"))).hasMessageContaining("checksum mismatch");
    }

    @Test
    void a_path_that_escapes_the_directory_is_refused(@TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, null);
        RouterModel evil =
                new RouterModel("default", "v2", "mf", model.sha256(), Map.of("../x", "AAAA"), null, 5, null);

        assertThatThrownBy(() -> evil.materialize(tmp.resolve("out"))).hasMessageContaining("escapes");
    }

    @Test
    void the_schema_wants_files_or_a_location_not_both() {
        String both = "{\"channel\":\"c\",\"version\":\"1\",\"kind\":\"mf\",\"sha256\":\"" + "a".repeat(64)
                + "\",\"files\":{},\"location\":\"/x\",\"published_at\":1}";
        assertThatThrownBy(() -> Codecs.ROUTER_MODEL.decode(both.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMessageException.class);
    }
}
