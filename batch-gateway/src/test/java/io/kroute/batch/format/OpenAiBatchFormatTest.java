package io.kroute.batch.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kroute.schemas.Json;
import io.kroute.schemas.LlmResponse;
import io.kroute.schemas.ResponseStatus;
import io.kroute.schemas.Tier;
import org.junit.jupiter.api.Test;

class OpenAiBatchFormatTest {

    private static JsonNode roundTrip(JsonNode node) throws Exception {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(node));
    }

    @Test
    void an_output_line_is_a_chat_completion_named_by_the_model_that_answered() throws Exception {
        LlmResponse r = new LlmResponse(
                "batch_1-abc",
                "team-a",
                Tier.WEAK,
                "mixtral-8x7b",
                "4",
                "stop",
                12,
                3,
                0.0001,
                40,
                1,
                ResponseStatus.values()[0],
                "ridge-knn-203cdfe39f26",
                1_000,
                1_700_000_000_123L);

        JsonNode line = roundTrip(OpenAiBatchFormat.outputLine("q-7", r));

        assertThat(line.get("custom_id").asText()).isEqualTo("q-7");
        assertThat(line.get("error").isNull()).isTrue();
        JsonNode response = line.get("response");
        assertThat(response.get("status_code").asInt()).isEqualTo(200);
        JsonNode body = response.get("body");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo("mixtral-8x7b");
        assertThat(body.get("created").asLong()).isEqualTo(1_700_000_000L);
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("4");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(15);
    }

    @Test
    void an_error_line_and_an_api_error_keep_their_null_fields_as_openai_writes_them() throws Exception {
        JsonNode line = roundTrip(OpenAiBatchFormat.errorLine(
                "batch_1", new BatchFileReader.LineError(3, null, "invalid_json", "line 3 is not a JSON object")));
        JsonNode api = roundTrip(
                OpenAiBatchFormat.apiError("invalid_request_error", null, "input_file_id", "No such File object"));

        assertThat(line.get("custom_id").isNull()).isTrue();
        assertThat(line.get("response").isNull()).isTrue();
        assertThat(line.at("/error/code").asText()).isEqualTo("invalid_json");
        assertThat(line.get("id").asText()).isEqualTo("batch_req_batch_1-line-3");
        assertThat(api.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(api.at("/error/param").asText()).isEqualTo("input_file_id");
        assertThat(api.get("error").has("code")).isTrue();
        assertThat(api.at("/error/code").isNull()).isTrue();
    }
}
