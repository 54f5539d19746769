package io.kroute.batch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.schemas.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchJobTest {

    private static BatchJob created() {
        return BatchJob.created(
                "batch_1", "key-a", "file_1", "/v1/chat/completions", "24h", Map.of("strong_share", "0.3"), 100);
    }

    @Test
    void a_job_runs_from_validating_to_completed_counting_each_request_once() {
        BatchJob job = created().started(3, 1, 101);
        assertThat(job.status()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(job.failed()).isEqualTo(1);

        job = job.ended(true, 102);
        assertThat(job.status()).isEqualTo(BatchStatus.IN_PROGRESS);
        job = job.ended(false, 103);
        assertThat(job.status()).isEqualTo(BatchStatus.FINALIZING);
        assertThat(job.completed()).isEqualTo(1);
        assertThat(job.failed()).isEqualTo(2);

        job = job.finished("file_out", "file_err", 104);
        assertThat(job.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(job.times())
                .containsEntry("in_progress", 101L)
                .containsEntry("finalizing", 103L)
                .containsEntry("completed", 104L);
    }

    @Test
    void a_request_ending_twice_or_after_the_end_is_refused_so_counts_never_exceed_the_total() {
        BatchJob done = created().started(1, 0, 101).ended(true, 102);

        assertThatThrownBy(() -> done.ended(true, 103))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finalizing");
        BatchJob finished = done.finished("o", "e", 104);
        assertThatThrownBy(() -> finished.cancelling(105)).hasMessageContaining("cannot go from completed");
    }

    @Test
    void a_cancelled_job_ends_cancelled_once_its_remaining_requests_have_ended() {
        BatchJob job = created().started(2, 0, 101).ended(true, 102).cancelling(103);

        assertThatThrownBy(() -> job.finished("o", "e", 104)).hasMessageContaining("1 requests have not ended");
        BatchJob ended = job.ended(false, 104);
        assertThat(ended.status()).isEqualTo(BatchStatus.CANCELLING);
        BatchJob cancelled = ended.finished("o", "e", 105);
        assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.status().terminal()).isTrue();
    }

    @Test
    void a_file_of_only_invalid_lines_goes_straight_to_finalizing() {
        BatchJob job = created().started(2, 2, 101);

        assertThat(job.status()).isEqualTo(BatchStatus.FINALIZING);
        assertThat(job.finished(null, "file_err", 102).status()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void the_api_view_has_openai_batch_fields_with_nulls_where_a_status_was_not_reached() throws Exception {
        BatchJob job = created().started(2, 0, 101).ended(true, 102);

        JsonNode node = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(job.toOpenAi()));

        assertThat(node.get("object").asText()).isEqualTo("batch");
        assertThat(node.get("status").asText()).isEqualTo("in_progress");
        assertThat(node.get("in_progress_at").asLong()).isEqualTo(101);
        assertThat(node.get("completed_at").isNull()).isTrue();
        assertThat(node.get("output_file_id").isNull()).isTrue();
        assertThat(node.at("/request_counts/total").asInt()).isEqualTo(2);
        assertThat(node.at("/request_counts/completed").asInt()).isEqualTo(1);
        assertThat(node.at("/metadata/strong_share").asText()).isEqualTo("0.3");
        assertThat(node.has("cancelling_at")).isTrue();
        assertThat(node.has("expired_at")).isTrue();
    }
}
