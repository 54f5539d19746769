package io.kroute.benchmarks;

import io.kroute.router.TrainedRouter;
import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.encoder.OnnxPromptEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Encoder plus router on real prompts (a fixed mix of Arena, GSM8K and MMLU prompts from the shared data): batched
 * throughput in prompts per second, and single-prompt latency sampled for percentiles. {@code exact} is the router
 * as shipped (each prompt encoded alone, so its score does not depend on its batch); {@code fast} batches 32 prompts
 * per encoder call (the static encoder of {@code static-mf} ignores the mode: it has no batch effects).
 */
@State(Scope.Benchmark)
public class RouterBenchmark {

    static final int BATCH = 64;

    /**
     * A router on the classpath: {@code default} (bge-small-static + ridge-knn), {@code static-mf} (minilm-static + MF)
     * or {@code mf} (MiniLM + MF); or the path of a trained router directory (with a '/', e.g. the absolute path of
     * {@code target/routers/ridge-knn}), always encoded as shipped.
     */
    @Param({"default", "static-mf", "mf"})
    public String router;

    @Param({"exact", "fast"})
    public String encoderMode;

    /**
     * {@code mix}: Arena, GSM8K and MMLU prompts (many near the 256-token cap); {@code gsm8k}: word problems only;
     * {@code load}: the prompts {@code ops/load-router.sh} sends the router-stream, in its order (every 7th of GSM8K
     * and MMLU together), so the stream's rate and the router's compare on the same text.
     */
    @Param({"mix", "gsm8k", "load"})
    public String promptSet;

    private TrainedRouter loaded;
    private List<String> prompts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path directory = Path.of(router);
        loaded = router.contains("/") && Files.isDirectory(directory)
                ? TrainedRouter.load(directory)
                : TrainedRouter.loadResource(
                        "kroute/routers/" + router,
                        encoderMode.equals("fast") ? OnnxPromptEncoder.FAST : OnnxPromptEncoder.EXACT);
        prompts = switch (promptSet) {
            case "gsm8k" -> BenchmarkData.gsm8k(BenchmarkData.defaultRoot()).stream()
                    .map(ScoredAnswer::prompt)
                    .limit(512)
                    .toList();
            case "load" -> load(BenchmarkData.defaultRoot());
            default -> mix(BenchmarkData.defaultRoot());
        };
    }

    /** Every 10th Arena prompt, every 20th GSM8K one, every 200th MMLU one: short chat, word problems, long multiple choice. */
    static List<String> mix(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        List<List<ScoredAnswer>> sets =
                List.of(BenchmarkData.arena(root), BenchmarkData.gsm8k(root), BenchmarkData.mmlu(root));
        int[] step = {10, 20, 200};
        for (int s = 0; s < sets.size(); s++) {
            for (int i = 0; i < sets.get(s).size(); i += step[s]) {
                out.add(sets.get(s).get(i).prompt());
            }
        }
        java.util.Collections.shuffle(out, new java.util.Random(1));
        return out;
    }

    /** 4,096 prompts as the load command draws them: GSM8K then MMLU, every 7th, wrapping around. */
    static List<String> load(Path root) throws Exception {
        List<String> texts = new ArrayList<>();
        BenchmarkData.gsm8k(root).forEach(answer -> texts.add(answer.prompt()));
        BenchmarkData.mmlu(root).forEach(answer -> texts.add(answer.prompt()));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4_096; i++) {
            out.add(texts.get((int) ((7L * i) % texts.size())));
        }
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loaded.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public double[] batchedPromptsPerSecond() {
        int from = next;
        next = (next + BATCH) % (prompts.size() - BATCH);
        return loaded.scoreBatch(prompts.subList(from, from + BATCH));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double singlePromptLatency() {
        next = (next + 1) % prompts.size();
        return loaded.score(prompts.get(next));
    }
}
