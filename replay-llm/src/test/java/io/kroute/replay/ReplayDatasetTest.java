package io.kroute.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    void holdsTheArenaPromptsWithEveryJudgedModelsAnswerAndScore() {
        List<ReplayItem> items = dataset.items(ReplayDataset.ARENA);
        List<String> models = dataset.models(ReplayDataset.ARENA);

        assertThat(items).hasSize(299);
        assertThat(models)
                .hasSize(16)
                .contains(
                        "gpt-4-1106-preview",
                        "mistralai/Mixtral-8x7B-Instruct-v0.1",
                        "claude-2",
                        "gpt-3.5-turbo",
                        "Llama-2-70b-chat",
                        "llama-13b");
        for (ReplayItem item : items) {
            assertThat(item.id()).startsWith("arena-");
            assertThat(item.benchmark()).isEqualTo(ReplayDataset.ARENA);
            assertThat(item.answers()).containsOnlyKeys(models);
            assertThat(item.answers().values()).allSatisfy(a -> {
                assertThat(a.text()).isNotNull();
                if (a.quality() != null) {
                    assertThat(a.quality()).isBetween(0.1, 1.0);
                }
            });
            // no Arena prompt is shadowed by a GSM8K or MMLU one
            assertThat(dataset.findByPrompt(item.prompt())).contains(item);
        }
        // PROVENANCE.md: 40 unreadable judge outputs; gpt-4-1106-preview averages 8.89 over its 296 scores
        assertThat(items.stream().flatMap(i -> i.answers().values().stream()).filter(a -> a.quality() == null))
                .hasSize(40);
        assertThat(items.stream()
                        .map(i -> i.answer("gpt-4-1106-preview").orElseThrow().quality())
                        .filter(q -> q != null)
                        .mapToDouble(q -> q * 10)
                        .average()
                        .orElseThrow())
                .isBetween(8.885, 8.895);
    }

    @Test
    void givesEachArenaAnswersScoreAndLengthAsTheSourceRecordsThem() {
        // scores_long.csv: 66c00ddde3dc4128a14d6afd5e899342,Llama-2-70b-chat,3,445
        ReplayItem item = dataset.items(ReplayDataset.ARENA).stream()
                .filter(i -> i.id().equals("arena-66c00ddde3dc4128a14d6afd5e899342"))
                .findFirst()
                .orElseThrow();

        RecordedAnswer answer = item.answer("Llama-2-70b-chat").orElseThrow();

        assertThat(answer.quality()).isEqualTo(0.3);
        assertThat(answer.chars()).isEqualTo(445);
        assertThat(answer.correct()).isFalse();
    }

    @Test
    void namesTheModelsOfEachBenchmarkAndOfAll() {
        assertThat(dataset.models(ReplayDataset.GSM8K))
                .containsExactly(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL);
        assertThat(dataset.models(ReplayDataset.MMLU))
                .containsExactly(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL);
        assertThat(dataset.models())
                .startsWith(ReplayDataset.STRONG_MODEL, ReplayDataset.WEAK_MODEL)
                .containsExactlyInAnyOrderElementsOf(dataset.models(ReplayDataset.ARENA));
        assertThatThrownBy(() -> dataset.models("routerbench")).hasMessageContaining("unknown benchmark");
    }

    @Test
    void loadsTheBundledDataOnce() {
        assertThat(ReplayDataset.loadBundled()).isSameAs(dataset);
    }
}
