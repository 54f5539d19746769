package io.kroute.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kroute.schemas.InvalidMessageException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe 4: a model card that names its head by an absolute path, by {@code ..}, or through a link made the router load
 * an ONNX file outside its directory, which the artifact's checksum and signature do not cover.
 */
class TrainedRouterFilesTest {

    /** The shipped static-mf router copied to {@code dir}, its card naming the head {@code head}. */
    private static Path routerNaming(Path dir, String head) throws Exception {
        Files.createDirectories(dir);
        try (InputStream onnx = TrainedRouter.class.getResourceAsStream("/kroute/routers/static-mf/mf.onnx");
                InputStream card =
                        TrainedRouter.class.getResourceAsStream("/kroute/routers/static-mf/model-card.json")) {
            Files.copy(onnx, dir.resolve("mf.onnx"));
            ObjectNode json = (ObjectNode) ModelCard.JSON.readTree(card);
            json.put("head", head);
            Files.write(dir.resolve(ModelCard.FILE), ModelCard.JSON.writeValueAsBytes(json));
        }
        return dir;
    }

    @Test
    void a_card_naming_a_head_outside_its_directory_is_refused(@TempDir Path tmp) throws Exception {
        Path elsewhere = routerNaming(tmp.resolve("elsewhere"), "mf.onnx").resolve("mf.onnx");

        for (String head : new String[] {elsewhere.toAbsolutePath().toString(), "../elsewhere/mf.onnx"}) {
            Path dir = routerNaming(tmp.resolve("r" + head.hashCode()), head);
            Files.delete(dir.resolve("mf.onnx"));
            assertThatThrownBy(() -> TrainedRouter.load(dir))
                    .as(head)
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessageContaining("not a relative path inside the artifact");
        }
    }

    @Test
    void a_head_that_links_outside_its_directory_is_refused(@TempDir Path tmp) throws Exception {
        Path elsewhere = routerNaming(tmp.resolve("elsewhere"), "mf.onnx").resolve("mf.onnx");
        Path dir = routerNaming(tmp.resolve("linked"), "head.onnx");
        Files.createSymbolicLink(dir.resolve("head.onnx"), elsewhere);

        assertThatThrownBy(() -> TrainedRouter.load(dir)).hasMessageContaining("links outside the artifact");
    }

    @Test
    void a_head_in_a_subdirectory_loads(@TempDir Path tmp) throws Exception {
        Path dir = routerNaming(tmp.resolve("nested"), "heads/mf.onnx");
        Files.createDirectories(dir.resolve("heads"));
        Files.move(dir.resolve("mf.onnx"), dir.resolve("heads/mf.onnx"));

        try (TrainedRouter router = TrainedRouter.load(dir)) {
            assertThat(router.score("What is 17 times 23?")).isBetween(0.0, 1.0);
        }
    }
}
