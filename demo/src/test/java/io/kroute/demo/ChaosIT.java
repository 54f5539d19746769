package io.kroute.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.schemas.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out demo as {@code ops/demo.sh --brokers 3 --router-instances 2 --worker-instances 2 --chaos} runs it: a
 * three-node cluster, two router-stream and two worker processes, and during the run one router-stream instance, one
 * worker process and one broker killed with SIGKILL and started again. Every prompt ends with exactly one outcome.
 */
@Tag("integration")
@Timeout(600)
class ChaosIT {

    @Test
    void every_prompt_has_exactly_one_outcome_through_a_killed_router_worker_and_broker(@TempDir Path tmp)
            throws Exception {
        // given
        Path summary = tmp.resolve("summary.json");
        DemoOptions options = DemoOptions.parse(new String[] {
            "--prompts",
            "3000",
            "--brokers",
            "3",
            "--router-instances",
            "2",
            "--worker-instances",
            "2",
            "--chaos",
            "--timeout-s",
            "400",
            "--out",
            summary.toString()
        });

        // when
        int exit = new DemoRun(options).run();

        // then
        JsonNode report = Json.MAPPER.readTree(summary.toFile());
        assertThat(exit).as(report.toPrettyString()).isZero();
        assertThat(report.get("prompts").asInt()).isEqualTo(3000);
        assertThat(report.get("unaccounted").asInt()).isZero();
        assertThat(report.get("duplicates").asInt()).isZero();
        assertThat(report.get("responses").asInt() + report.get("dead_letters").asInt())
                .isEqualTo(3000);
        List<String> actions = new ArrayList<>();
        report.get("chaos").forEach(event -> actions.add(event.get("action").asText()));
        assertThat(actions)
                .as("every fault injected and recovered from")
                .contains(
                        "SIGKILL router-stream instance 1",
                        "router-stream instance 1 healthy again",
                        "SIGKILL worker process 1",
                        "worker process 1 healthy again",
                        "SIGKILL broker 2",
                        "broker 2 back in the cluster");
        JsonNode instances = report.get("instances");
        assertThat(instances.get("router-stream").size()).isEqualTo(2);
        assertThat(instances.get("workers").size()).isEqualTo(2);
        assertThat(report.get("max_stall_s").asDouble()).isPositive();
        assertThat(report.get("brokers").asInt()).isEqualTo(3);
    }
}
