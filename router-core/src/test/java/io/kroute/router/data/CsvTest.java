package io.kroute.router.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void csvReaderHandlesQuotesCommasAndNewlines() throws IOException {
        String csv = "a,b\n\"x, \"\"y\"\"\nz\",2\r\nplain,3";

        List<List<String>> rows = Csv.read(new StringReader(csv));

        assertThat(rows).containsExactly(List.of("a", "b"), List.of("x, \"y\"\nz", "2"), List.of("plain", "3"));
    }
}
