package io.kroute.router.train;

import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.data.TrainingData;
import io.kroute.router.encoder.OnnxPromptEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small real slice of RouteLLM's MMLU labels, encoded once per test JVM: three subjects where GPT-4's edge over
 * Mixtral differs a lot (large in moral scenarios, none in marketing, negative in high-school maths), split by row
 * into training and held-out prompts. A router that learned nothing scores an APGR near 0.5 on the held-out part.
 */
final class MmluSlice {

    static final List<String> SUBJECTS =
            List.of("moral_scenarios", "marketing", "high_school_mathematics", "college_computer_science");

    final List<ScoredAnswer> train = new ArrayList<>();
    final List<ScoredAnswer> heldOut = new ArrayList<>();
    final Map<String, float[]> vectors = new HashMap<>();
    final String encoderId;

    private static MmluSlice instance;

    static synchronized MmluSlice get() throws Exception {
        if (instance == null) {
            instance = new MmluSlice();
        }
        return instance;
    }

    private MmluSlice() throws Exception {
        Path root = BenchmarkData.defaultRoot();
        if (!Files.isDirectory(root.resolve("routellm-mmlu"))) {
            throw new IllegalStateException(
                    "tests need the shared data beside the clone (../shared/data), not found at "
                            + root.toAbsolutePath());
        }
        Map<String, Integer> taken = new HashMap<>();
        for (ScoredAnswer a : BenchmarkData.mmlu(root)) {
            String subject = a.group().substring("mmlu/".length());
            if (!SUBJECTS.contains(subject)) {
                continue;
            }
            int n = taken.merge(subject, 1, Integer::sum);
            if (n > 160) {
                continue;
            }
            (n % 3 == 0 ? heldOut : train).add(a);
        }
        try (OnnxPromptEncoder encoder = OnnxPromptEncoder.miniLm(2, OnnxPromptEncoder.FAST)) {
            List<String> prompts = new ArrayList<>();
            train.forEach(a -> prompts.add(a.prompt()));
            heldOut.forEach(a -> prompts.add(a.prompt()));
            float[][] v = encoder.encode(prompts);
            for (int i = 0; i < v.length; i++) {
                vectors.put(prompts.get(i), v[i]);
            }
            encoderId = encoder.id();
        }
    }

    BattleSet trainingBattles() {
        return BattleSet.of(TrainingData.battles(train), vectors);
    }

    List<String> heldOutPrompts() {
        return heldOut.stream().map(ScoredAnswer::prompt).toList();
    }

    float[][] heldOutVectors() {
        return heldOut.stream().map(a -> vectors.get(a.prompt())).toArray(float[][]::new);
    }
}
