package io.kroute.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The many-model reference file loads as written: a queue, a provider and a price for each of the 16 Arena models. */
class ArenaWorkersConfigTest {

    @Test
    void the_arena_reference_file_names_sixteen_priced_queues() {
        WorkerConfig config = WorkerConfigLoader.load(Path.of("../etc/llm-workers-arena.yaml"));
        assertThat(config.queues()).hasSize(16).containsKeys("gpt-4-1106-preview", "mixtral-8x7b-instruct");
        config.queues().forEach((name, queue) -> {
            assertThat(config.prices()).containsKey(queue.model());
            assertThat(queue.hasFallback()).isTrue();
            assertThat(config.queues()).containsKey(queue.fallback());
        });
        assertThat(config.queue("claude-2").provider()).isEqualTo("replay-anthropic");
    }
}
