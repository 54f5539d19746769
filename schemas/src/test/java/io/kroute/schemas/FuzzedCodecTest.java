package io.kroute.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The prompt codec answers any bytes with a valid request or an {@link InvalidMessageException}, nothing else. */
class FuzzedCodecTest {

    @Property(tries = 2_000)
    void random_bytes_are_a_request_or_an_invalid_message(@ForAll byte[] value) {
        assertDecodesOrRefuses(value);
    }

    @Property(tries = 2_000)
    void json_shaped_text_is_a_request_or_an_invalid_message(@ForAll("almostJson") String text) {
        assertDecodesOrRefuses(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertDecodesOrRefuses(byte[] value) {
        try {
            PromptRequest request = Codecs.PROMPT_REQUEST.decode(value);
            // what decodes re-encodes to something that decodes to the same request
            assertThat(Codecs.PROMPT_REQUEST.decode(Codecs.PROMPT_REQUEST.encode(request)))
                    .isEqualTo(request);
        } catch (InvalidMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @net.jqwik.api.Example
    void a_number_too_large_for_a_double_where_a_role_belongs_is_refused_not_thrown() {
        // found by the router-stream's fuzz test: it killed the stream thread on every retry
        assertDecodesOrRefuses(
                "{\"id\":\"a\",\"messages\":[{\"role\":1e309,\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8));
    }

    /** A valid request with one piece changed to something random. */
    @Provide
    Arbitrary<String> almostJson() {
        String valid = "{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}";
        Arbitrary<String> noise = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.of(
                        "null", "[]", "{}", "1e309", "-1", "\"", "\\u0000", "\uD800", "true", "99999999999999999999"));
        return Arbitraries.integers()
                .between(0, valid.length())
                .tuple3()
                .flatMap(t -> noise.map(n -> {
                    int from = Math.min(t.get1(), t.get2());
                    int to = Math.max(t.get1(), t.get2());
                    return valid.substring(0, from) + n + valid.substring(to);
                }));
    }
}
