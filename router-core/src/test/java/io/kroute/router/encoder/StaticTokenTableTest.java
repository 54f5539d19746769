package io.kroute.router.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Building, storing and checking token tables; small subsets of the vocabulary keep this under a few seconds. */
class StaticTokenTableTest {

    private static OnnxPromptEncoder minilm;
    private static StaticTokenEncoder.Vocabulary vocabulary;

    @BeforeAll
    static void load() {
        minilm = OnnxPromptEncoder.miniLm(1);
        vocabulary = StaticTokenEncoder.Vocabulary.of(
                StaticTokenEncoder.readResource(OnnxPromptEncoder.MINILM_TOKENIZER_RESOURCE));
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    @ParameterizedTest
    @EnumSource(BundledModel.class)
    void the_shipped_table_is_what_the_bundled_model_distils_now(BundledModel model) throws IOException {
        StaticTokenTable shipped;
        String resource = StaticTokenEncoder.tableResource(model);
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(in).as("shipped table " + resource).isNotNull();
            shipped = StaticTokenTable.read(in);
        }
        StaticTokenEncoder.Vocabulary vocabulary =
                StaticTokenEncoder.Vocabulary.of(StaticTokenEncoder.readResource(model.tokenizerResource()));
        try (OnnxPromptEncoder transformer = OnnxPromptEncoder.bundled(model, 1, OnnxPromptEncoder.EXACT)) {
            assertThat(shipped.modelSha()).isEqualTo(transformer.modelSha());
            assertSameRows(shipped, transformer, vocabulary);
        }
    }

    private static void assertSameRows(
            StaticTokenTable shipped, OnnxPromptEncoder transformer, StaticTokenEncoder.Vocabulary vocabulary) {
        assertThat(shipped.recipe()).isEqualTo(StaticTokenEncoder.RECIPE);
        assertThat(shipped.rows()).isEqualTo(vocabulary.size()).isEqualTo(30_522);
        // ~60 tokens spread over the vocabulary (words, word pieces, characters) plus the special ones.
        Set<Integer> sample = new java.util.TreeSet<>(Set.of(0, 100, 101, 102, 103, 500, 999, 1012, 1996, 30_521));
        IntStream.iterate(7, t -> t < vocabulary.size(), t -> t + 523).forEach(sample::add);
        StaticTokenTable fresh = StaticTokenEncoder.build(transformer, vocabulary, sample::contains, 2);
        for (int t : sample) {
            float[] expected = fresh.row(t);
            float[] actual = shipped.row(t);
            // One int8 step of either table: ONNX Runtime may round differently on another CPU.
            float step = Math.max(shipped.scale(t), fresh.scale(t)) * 1.01f + 1e-7f;
            for (int d = 0; d < expected.length; d++) {
                assertThat(actual[d]).as("token %d, component %d", t, d).isCloseTo(expected[d], within(step));
            }
            assertThat(norm(actual) == 0).as("token %d is zero", t).isEqualTo(!vocabulary.distilled(t));
        }
    }

    @Test
    void a_row_is_minilms_mean_pooled_output_for_the_token_alone() {
        int paris = 3000;
        StaticTokenTable table = StaticTokenEncoder.build(minilm, vocabulary, t -> t == paris, 1);
        float[] pooled = minilm.encodeIds(new long[] {vocabulary.cls(), paris, vocabulary.sep()});
        float[] row = table.row(paris);
        for (int d = 0; d < row.length; d++) {
            assertThat(row[d]).isCloseTo(pooled[d], within(table.scale(paris) / 2 + 1e-6f));
        }
        // The sentence encoder gives the same for the text "paris", up to normalisation.
        float[] sentence = minilm.encode("paris");
        assertThat(cosine(row, sentence)).isGreaterThan(0.999);
    }

    @Test
    void a_table_survives_a_round_trip_gzipped_or_not() throws IOException {
        StaticTokenTable table = small();
        for (boolean gzip : new boolean[] {false, true}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            table.write(bytes, gzip);
            StaticTokenTable read = StaticTokenTable.read(new ByteArrayInputStream(bytes.toByteArray()));
            assertThat(read.recipe()).isEqualTo(table.recipe());
            assertThat(read.modelSha()).isEqualTo(table.modelSha());
            assertThat(read.values()).isEqualTo(table.values());
            assertThat(read.row(2000)).containsExactly(table.row(2000));
        }
    }

    @Test
    void a_cached_table_is_reused_and_a_damaged_or_foreign_one_rebuilt(@TempDir Path dir) throws IOException {
        Path file = StaticTokenEncoder.tableFile(dir, BundledModel.MINILM, minilm.modelSha());
        AtomicInteger builds = new AtomicInteger();
        java.util.function.Supplier<StaticTokenTable> build = () -> {
            builds.incrementAndGet();
            return small();
        };

        StaticTokenTable first = StaticTokenEncoder.loadOrBuild(file, minilm.modelSha(), vocabulary, build);
        assertThat(builds).hasValue(1);
        assertThat(file).isRegularFile();
        assertThat(dir.toFile().list()).containsExactly(file.getFileName().toString()); // no temp file left

        StaticTokenTable again = StaticTokenEncoder.loadOrBuild(file, minilm.modelSha(), vocabulary, build);
        assertThat(builds).hasValue(1);
        assertThat(again.values()).isEqualTo(first.values());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        assertThatThrownBy(() -> StaticTokenTable.read(file)).hasMessageContaining("checksum");
        StaticTokenEncoder.loadOrBuild(file, minilm.modelSha(), vocabulary, build);
        assertThat(builds).hasValue(2);

        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), 1000));
        StaticTokenEncoder.loadOrBuild(file, minilm.modelSha(), vocabulary, build);
        assertThat(builds).hasValue(3);

        StaticTokenEncoder.loadOrBuild(file, "0123456789ab", vocabulary, build); // built from another model
        assertThat(builds).hasValue(4);
        assertThat(StaticTokenTable.read(file).values()).isEqualTo(first.values());
    }

    @Test
    void garbage_is_not_a_table() {
        assertThatThrownBy(() -> StaticTokenTable.read(new ByteArrayInputStream("not a table".getBytes())))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StaticTokenTable.read(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(IOException.class);
    }

    @Test
    void an_encoder_averages_the_rows_of_its_tokens_less_the_mean_row() {
        // "The cat" -> "the" (1996) and "cat" (4937); "paris" (3000) is in the table, not in the text.
        Set<Integer> tokens = Set.of(1996, 4937, 3000);
        StaticTokenTable table = StaticTokenEncoder.build(minilm, vocabulary, tokens::contains, 1);
        byte[] tokenizer = StaticTokenEncoder.readResource(OnnxPromptEncoder.MINILM_TOKENIZER_RESOURCE);
        try (StaticTokenEncoder encoder = new StaticTokenEncoder("test", table, vocabulary, tokenizer, 512)) {
            float[] the = table.row(1996);
            float[] cat = table.row(4937);
            float[] paris = table.row(3000);
            float[] expected = new float[the.length];
            for (int d = 0; d < expected.length; d++) {
                expected[d] = (the[d] + cat[d]) / 2 - (the[d] + cat[d] + paris[d]) / 3;
            }
            OnnxPromptEncoder.normalise(expected);
            float[] actual = encoder.encode("The cat");
            for (int d = 0; d < expected.length; d++) {
                assertThat(actual[d]).isCloseTo(expected[d], within(1e-5f));
            }
        }
    }

    private static StaticTokenTable small() {
        return StaticTokenEncoder.build(minilm, vocabulary, t -> t == 1996 || t == 2000 || t == 3000, 1);
    }

    private static double norm(float[] v) {
        return Math.sqrt(StaticTokenEncoderTest.dot(v, v));
    }

    private static double cosine(float[] a, float[] b) {
        return StaticTokenEncoderTest.dot(a, b) / (norm(a) * norm(b));
    }
}
