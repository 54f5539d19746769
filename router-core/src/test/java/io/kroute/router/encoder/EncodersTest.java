package io.kroute.router.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EncodersTest {

    @ParameterizedTest
    @EnumSource(BundledModel.class)
    void a_static_spec_and_its_id_open_the_static_encoder_of_that_model(BundledModel model) {
        try (PromptEncoder bySpec = Encoders.fromSpec(model.staticSpec(), 1, 1)) {
            assertThat(bySpec).isInstanceOf(StaticTokenEncoder.class);
            assertThat(bySpec.id()).startsWith(model.modelName() + "@").endsWith("/static-v1/max512");
            assertThat(BundledModel.isStatic(bySpec.id())).isTrue();
            try (PromptEncoder byId = Encoders.fromSpec(bySpec.id(), 1, 1)) {
                assertThat(byId).isInstanceOf(StaticTokenEncoder.class);
                assertThat(byId.id()).isEqualTo(bySpec.id());
            }
        }
    }

    @Test
    void the_text_feature_suffix_wraps_any_base_encoder_after_the_decoration() {
        try (PromptEncoder encoder = Encoders.fromSpec("minilm-static" + TextFeatureEncoder.SUFFIX, 1, 1, base -> {
            assertThat(base).isInstanceOf(StaticTokenEncoder.class);
            return base;
        })) {
            assertThat(encoder).isInstanceOf(TextFeatureEncoder.class);
            assertThat(encoder.dimension()).isEqualTo(384 + TextFeatureEncoder.FEATURES);
            assertThat(encoder.id()).endsWith("/static-v1/max512" + TextFeatureEncoder.SUFFIX);
            try (PromptEncoder again = Encoders.fromSpec(encoder.id(), 1, 1)) {
                assertThat(again.id()).isEqualTo(encoder.id());
            }
        }
    }

    @Test
    void minilm_and_its_id_open_the_transformer() {
        try (PromptEncoder encoder = Encoders.fromSpec("minilm" + TextFeatureEncoder.SUFFIX, 1, 1)) {
            assertThat(encoder).isInstanceOf(TextFeatureEncoder.class);
            assertThat(encoder.id()).startsWith("all-minilm-l6-v2-q@").endsWith("/mean-l2" + TextFeatureEncoder.SUFFIX);
            String baseId = encoder.id().substring(0, encoder.id().length() - TextFeatureEncoder.SUFFIX.length());
            try (PromptEncoder byId = Encoders.fromSpec(baseId, 1, 1)) {
                assertThat(byId).isInstanceOf(OnnxPromptEncoder.class);
                assertThat(byId.id()).isEqualTo(baseId);
            }
        }
    }

    @Test
    void bge_small_and_its_id_open_the_transformer_at_its_512_token_window() {
        try (PromptEncoder encoder = Encoders.fromSpec("bge-small", 1, 1)) {
            assertThat(encoder).isInstanceOf(OnnxPromptEncoder.class);
            assertThat(encoder.id()).startsWith("bge-small-en-v1.5-q@").endsWith("/max512/mean-l2");
            assertThat(BundledModel.isStatic(encoder.id())).isFalse();
            assertThat(encoder.dimension()).isEqualTo(384);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bert",
                "minilm-statik",
                "bge-small-en",
                "bge",
                "a.onnx,b.json,c",
                "model.bin,tokenizer.json",
                "+textfeatures-v1x"
            })
    void other_specs_are_refused_with_the_accepted_forms(String spec) {
        assertThatThrownBy(() -> Encoders.fromSpec(spec, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "'minilm', 'minilm-static', 'bge-small', 'bge-small-static' or 'MODEL.onnx,TOKENIZER.json'");
    }

    @Test
    void a_missing_model_file_is_named(@TempDir Path dir) throws Exception {
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{}");
        String spec = dir.resolve("missing.onnx") + "," + tokenizer;
        assertThatThrownBy(() -> Encoders.fromSpec(spec, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.onnx")
                .hasMessageContaining("does not exist");
    }
}
