package io.kroute.router.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoHoldoutTest {

    @Test
    void reserves_about_the_stated_share_of_each_replayed_benchmark_and_nothing_else() throws Exception {
        Path root = BenchmarkData.defaultRoot();
        List<ScoredAnswer> gsm8k = BenchmarkData.gsm8k(root);
        long reserved = gsm8k.stream()
                .filter(a -> DemoHoldout.reserved("gsm8k", a.prompt()))
                .count();

        assertThat(reserved).isBetween(480L, 570L);
        assertThat(DemoHoldout.reserved("arena", gsm8k.get(0).prompt())).isFalse();
        assertThat(DemoHoldout.reserved("gsm8k", gsm8k.get(0).prompt()))
                .as("the same text always gets the same answer")
                .isEqualTo(DemoHoldout.reserved("gsm8k", gsm8k.get(0).prompt()));
    }
}
