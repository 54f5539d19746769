package io.kroute.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterModelTest {

    private static Path routerDir(Path root) throws Exception {
        Path dir = root.resolve("router");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("model-card.json"), "{\"kind\":\"mf\"}");
        Files.write(dir.resolve("sub/mf.onnx"), new byte[] {1, 2, 3, 4});
        return dir;
    }

    private static RouterModel withFiles(RouterModel model, String sha256, Map<String, String> files) {
        return new RouterModel(
                model.channel(), model.version(), model.kind(), sha256, files, null, 5, null, null, null);
    }

    private static RouterModel byLocation(String location) {
        return new RouterModel("default", "v9", "mf", "0".repeat(64), null, location, 5, null, null, null);
    }

    /** Every file and directory below {@code dir}, which must hold nothing a refused artifact left behind. */
    private static long entries(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.count() - 1;
        }
    }

    @Test
    void inline_artifact_round_trips_through_the_topic_codec_and_verifies(@TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, "promoted");

        RouterModel decoded = Codecs.ROUTER_MODEL.decode(Codecs.ROUTER_MODEL.encode(model));
        Path out = decoded.materialize(tmp.resolve("out"), null);

        assertThat(decoded).isEqualTo(model);
        assertThat(out).isEqualTo(tmp.resolve("out"));
        assertThat(Files.readAllBytes(out.resolve("sub/mf.onnx"))).containsExactly(1, 2, 3, 4);
        assertThat(Files.readString(out.resolve("model-card.json"))).isEqualTo("{\"kind\":\"mf\"}");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("router", "out");
        }
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
        RouterModel tampered = withFiles(model, model.sha256(), files);

        assertThatThrownBy(() -> tampered.materialize(tmp.resolve("out"), null))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("checksum mismatch");
    }

    // probe 8: the files of a refused artifact were written before the check and stayed on disk
    @Test
    void an_inline_artifact_with_a_wrong_checksum_leaves_nothing_on_disk(@TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, null);
        Map<String, String> files = new HashMap<>(model.files());
        files.put("junk.bin", Base64.getEncoder().encodeToString(new byte[1024 * 1024]));
        RouterModel corrupt = withFiles(model, "0".repeat(64), files);
        Path models = tmp.resolve("models");

        assertThatThrownBy(() -> corrupt.materialize(models.resolve("default/v2"), null))
                .hasMessageContaining("checksum mismatch");
        assertThat(entries(models))
                .as("what the refused artifact left in " + models)
                .isEqualTo(1);
    }

    @Test
    void a_verified_version_replaces_an_earlier_unpack_of_it(@TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, null);
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("left-over"), "x");

        model.materialize(target, null);

        assertThat(target.resolve("left-over")).doesNotExist();
        assertThat(target.resolve("sub/mf.onnx")).exists();
    }

    @Test
    void location_artifact_is_copied_verified_from_inside_its_root(@TempDir Path tmp) throws Exception {
        Path dir = routerDir(tmp);
        RouterModel model = RouterModel.byLocation("default", "v3", "mf", dir, 5, null);

        Path out = model.materialize(tmp.resolve("models/v3"), tmp);

        assertThat(Files.readAllBytes(out.resolve("sub/mf.onnx"))).containsExactly(1, 2, 3, 4);
        Files.write(dir.resolve("sub/mf.onnx"), new byte[] {9});
        assertThatThrownBy(() -> model.materialize(tmp.resolve("models/v3b"), tmp))
                .hasMessageContaining("checksum mismatch");
        assertThat(tmp.resolve("models/v3b")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/passwd", "a/../../x", "./x", "a//b", "a\\..\\x", "sub/.."})
    void a_file_name_that_is_not_a_plain_relative_path_is_refused_before_anything_is_written(
            String name, @TempDir Path tmp) throws Exception {
        RouterModel model = RouterModel.inline("default", "v2", "mf", routerDir(tmp), 5, null);
        Map<String, String> files = new HashMap<>(model.files());
        files.put(name, "AAAA");
        RouterModel evil = withFiles(model, model.sha256(), files);

        assertThatThrownBy(() -> evil.materialize(tmp.resolve("models/out"), null))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not a relative path inside the artifact");
        assertThat(tmp.resolve("models/out")).doesNotExist();
    }

    // probe 7: a location at /etc was read whole
    @Test
    void a_location_outside_the_root_or_with_no_root_configured_is_refused(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("shared");
        Files.createDirectories(root);

        assertThatThrownBy(() -> byLocation("/etc").materialize(tmp.resolve("out"), root))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("outside the location root");
        assertThatThrownBy(() -> byLocation(root + "/../../etc").materialize(tmp.resolve("out"), root))
                .hasMessageContaining("outside the location root");
        assertThatThrownBy(() -> byLocation("/etc").materialize(tmp.resolve("out"), null))
                .hasMessageContaining("no location root is configured");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void a_link_out_of_the_root_or_inside_the_artifact_is_refused(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("shared");
        Files.createDirectories(root);
        Path outside = routerDir(tmp);
        Files.createSymbolicLink(root.resolve("v1"), outside);
        Path linked = root.resolve("v2");
        Files.createDirectories(linked);
        Files.createSymbolicLink(linked.resolve("mf.onnx"), outside.resolve("sub/mf.onnx"));

        assertThatThrownBy(() -> byLocation(root.resolve("v1").toString()).materialize(tmp.resolve("out"), root))
                .hasMessageContaining("leads outside the location root");
        assertThatThrownBy(() -> byLocation(linked.toString()).materialize(tmp.resolve("out"), root))
                .hasMessageContaining("not a regular file");
    }

    // probe 7: a 3 GB file threw OutOfMemoryError
    @Test
    void a_location_too_large_is_refused_without_being_read(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("huge");
        Files.createDirectories(dir);
        try (RandomAccessFile file =
                new RandomAccessFile(dir.resolve("head.onnx").toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024); // sparse: no disk, and no time to write
        }

        assertThatThrownBy(() -> byLocation(dir.toString()).materialize(tmp.resolve("out"), tmp))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("more than " + RouterModel.MAX_FILE_BYTES);
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void an_artifact_of_too_many_files_is_refused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("many");
        Files.createDirectories(dir);
        Map<String, String> files = new HashMap<>();
        for (int i = 0; i <= RouterModel.MAX_FILES; i++) {
            Files.writeString(dir.resolve("f" + i), "x");
            files.put("f" + i, "eA==");
        }
        RouterModel inline = new RouterModel("default", "v", "mf", "0".repeat(64), files, null, 5, null, null, null);

        assertThatThrownBy(() -> byLocation(dir.toString()).materialize(tmp.resolve("out"), tmp))
                .hasMessageContaining("more than " + RouterModel.MAX_FILES + " files");
        assertThatThrownBy(() -> inline.materialize(tmp.resolve("out"), null))
                .hasMessageContaining("more than " + RouterModel.MAX_FILES + " allowed");
        assertThatThrownBy(() -> RouterModel.inline("default", "v", "mf", dir, 5, null))
                .hasMessageContaining("more than " + RouterModel.MAX_FILES + " files");
    }

    @Test
    void the_schema_wants_files_or_a_location_not_both() {
        String both = "{\"channel\":\"c\",\"version\":\"1\",\"kind\":\"mf\",\"sha256\":\"" + "a".repeat(64)
                + "\",\"files\":{},\"location\":\"/x\",\"published_at\":1}";
        assertThatThrownBy(() -> Codecs.ROUTER_MODEL.decode(both.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void the_schema_wants_a_signature_with_its_key_id() {
        String noKeyId = "{\"channel\":\"c\",\"version\":\"1\",\"kind\":\"mf\",\"sha256\":\"" + "a".repeat(64)
                + "\",\"location\":\"/x\",\"published_at\":1,\"signature\":\"" + "A".repeat(86) + "==\"}";
        assertThatThrownBy(() -> Codecs.ROUTER_MODEL.decode(noKeyId.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("key_id");
    }
}
