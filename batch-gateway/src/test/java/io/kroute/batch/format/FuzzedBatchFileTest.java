package io.kroute.batch.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kroute.batch.format.BatchFileReader.BatchLine;
import io.kroute.batch.format.BatchFileReader.LineError;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a file holds, every line that is not blank ends as exactly one request or one error, in file order. */
class FuzzedBatchFileTest {

    @Property(tries = 200)
    void every_line_is_one_request_or_one_error(@ForAll("files") List<String> lines) throws Exception {
        List<BatchLine> requests = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        byte[] file = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        long nonBlank = lines.stream().filter(l -> !l.isBlank()).count();
        if (nonBlank == 0) {
            return; // refused whole, tested elsewhere
        }

        BatchFileReader.Totals totals = new BatchFileReader(new BatchLimits(1_000, 10_000_000, 300))
                .read(new ByteArrayInputStream(file), "b", "t", requests::add, errors::add);

        assertThat(totals.lines()).isEqualTo(nonBlank);
        assertThat(requests.size() + errors.size()).isEqualTo(nonBlank);
        Set<String> ids = new HashSet<>();
        requests.forEach(r -> assertThat(ids.add(r.customId())).isTrue());
        List<Integer> order = new ArrayList<>();
        requests.forEach(r -> order.add(r.lineNumber()));
        errors.forEach(e -> order.add(e.lineNumber()));
        assertThat(order).doesNotHaveDuplicates();
    }

    @Provide
    Arbitrary<List<String>> files() {
        Arbitrary<String> id = Arbitraries.of("a", "b", "c", "d", "e");
        Arbitrary<String> good = id.map(i -> "{\"custom_id\":\"" + i + "\",\"method\":\"POST\","
                + "\"url\":\"/v1/chat/completions\",\"body\":{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}}");
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(400).map(s -> s.replace("\n", " "));
        Arbitrary<String> blank = Arbitraries.of("", " ", "\r");
        return Arbitraries.oneOf(good, good, noise, blank).list().ofMaxSize(30);
    }
}
