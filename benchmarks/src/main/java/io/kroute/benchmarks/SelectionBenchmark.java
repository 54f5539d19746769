package io.kroute.benchmarks;

import io.kroute.router.data.BenchmarkData;
import io.kroute.router.data.ScoredAnswer;
import io.kroute.router.multi.CostAwareSelector;
import io.kroute.router.multi.CostModel;
import io.kroute.router.multi.PriceTable;
import io.kroute.router.multi.Tokens;
import io.kroute.router.multi.TrainedPredictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What choosing among 16 models adds to routing one prompt: {@code predict} runs the shipped Arena predictor (MiniLM,
 * then one linear head per model), {@code predictAndSelect} also estimates each model's cost and picks with the
 * trade-off selector, as the router-stream does per prompt; {@code selectOnly} is the selection alone on qualities
 * already predicted. Side by side in one run, on the 299 Arena prompts in turn.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SelectionBenchmark {

    private TrainedPredictor predictor;
    private CostModel costs;
    private CostAwareSelector selector;
    private List<String> prompts;
    private double[][] predicted;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        predictor = TrainedPredictor.load("classpath:kroute/routers/arena-predictor");
        List<String> models = predictor.models();
        double[] lengths = models.stream()
                .mapToDouble(m -> predictor.expectedOutputTokens().get(m))
                .toArray();
        costs = CostModel.fromPrices(
                models, PriceTable.load(PriceTable.ARENA_2023).forModels(models), lengths);
        selector = CostAwareSelector.tradeOff(1_000);
        prompts = new ArrayList<>();
        for (ScoredAnswer a : BenchmarkData.arena(BenchmarkData.defaultRoot())) {
            prompts.add(a.prompt());
        }
        predicted = predictor.predict(prompts);
    }

    @TearDown
    public void tearDown() {
        predictor.close();
    }

    @Benchmark
    public double[] predict() {
        return predictor.predict(List.of(prompts.get(next++ % prompts.size())))[0];
    }

    @Benchmark
    public int predictAndSelect() {
        String prompt = prompts.get(next++ % prompts.size());
        double[] quality = predictor.predict(List.of(prompt))[0];
        return selector.select(quality, costs.expected(Tokens.estimate(prompt)));
    }

    @Benchmark
    public int selectOnly() {
        int i = next++ % prompts.size();
        return selector.select(predicted[i], costs.expected(Tokens.estimate(prompts.get(i))));
    }
}
