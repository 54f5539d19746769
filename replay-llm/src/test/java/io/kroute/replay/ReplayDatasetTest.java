package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReplayDatasetTest {

    private final ReplayDataset dataset = ReplayDataset.loadBundled();

    @Test
    void holdsRouteLlmsBenchmarksWithoutTheContaminatedPrompts() {
        assertThat(dataset.items("gsm8k")).hasSize(1_307);
        assertThat(dataset.items("mmlu")).hasSize(14_037);
    }

    @Test
    void recordsBothModelsForEveryItemAndTextsForGsm8kOnly() {
        for (ReplayItem item : dataset.items("gsm8k")) {
            assertThat(item.answers()).containsOnlyKeys(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL);
            assertThat(item.answers().values())
                    .allSatisfy(a -> assertThat(a.text()).isNotNull());
        }
        for (ReplayItem item : dataset.items("mmlu")) {
            assertThat(item.answers()).containsOnlyKeys(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL);
            assertThat(item.answers().values())
                    .allSatisfy(a -> assertThat(a.text()).isNull());
        }
        // PROVENANCE.md: GPT-4 correct on 1,130 of 1,319 GSM8K rows; 9 of those are among the 12 dropped
        long strongCorrect = dataset.items("gsm8k").stream()
                .filter(i -> i.answers().get(ReplayDataset.STRONG_MODEL).correct())
                .count();
        assertThat(strongCorrect).isBetween(1_118L, 1_130L);
    }

    @Test
    void dropsTheContaminatedGsm8kRows() {
        // RouteLLM's contaminated eval_idx values for GSM8K
        Set<String> ids = dataset.items("gsm8k").stream().map(ReplayItem::id).collect(Collectors.toSet());
        for (int row : List.of(0, 1, 2, 18, 67, 147, 233, 269, 285, 364, 530, 932)) {
            assertThat(ids).doesNotContain("gsm8k-test-" + row);
        }
        assertThat(ids).contains("gsm8k-test-3", "gsm8k-test-1318");
        assertThat(dataset.findByPrompt("Janet’s ducks lay 16 eggs per day. She eats three for breakfast every "
                        + "morning and bakes muffins for her friends every day with four. She sells the remainder at "
                        + "the farmers' market daily for $2 per fresh duck egg. How much in dollars does she make "
                        + "every day at the farmers' market?"))
                .isEmpty();
    }

    @Test
    void dropsTheContaminatedPromptsListedInTheSources() throws IOException {
        Path data = Path.of(System.getProperty("replay.source", "../../shared/data"));
        assumeTrue(Files.isDirectory(data), "RouteLLM sources not found");
        ObjectMapper mapper = new ObjectMapper();
        for (String file : List.of("routellm-gsm8k", "routellm-mmlu")) {
            for (String line : Files.readAllLines(data.resolve(file).resolve("contaminated_prompts.jsonl"))) {
                String prompt = mapper.readTree(line).get("eval_prompt").asText();
                assertThat(dataset.findByPrompt(prompt)).as(prompt).isEmpty();
            }
        }
    }

    @Test
    void findsItemsByPromptIgnoringSurroundingWhitespace() {
        ReplayItem item = dataset.items("mmlu").get(42);

        assertThat(dataset.findByPrompt("  " + item.prompt() + "\n")).isPresent();
        assertThat(dataset.findByPrompt("not a benchmark question")).isEmpty();
        assertThat(dataset.findByPrompt(null)).isEmpty();
    }

    @Test
    void loadsTheBundledDataOnce() {
        assertThat(ReplayDataset.loadBundled()).isSameAs(dataset);
    }
}
