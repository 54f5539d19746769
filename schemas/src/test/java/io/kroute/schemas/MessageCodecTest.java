package io.kroute.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void prompt_request_round_trips_with_snake_case_fields() {
        PromptRequest request = new PromptRequest(
                "r-1",
                "acme",
                List.of(new ChatMessage("system", "be brief"), ChatMessage.user("What is 2+2?")),
                64,
                Map.of("benchmark", "gsm8k"),
                new RoutingHints(Tier.STRONG),
                1_700_000_000_000L);

        byte[] bytes = Codecs.PROMPT_REQUEST.encode(request);

        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"max_tokens\":64", "\"force_tier\":\"strong\"", "\"created_at\":1700000000000");
        assertThat(Codecs.PROMPT_REQUEST.decode(bytes)).isEqualTo(request);
        assertThat(request.lastUserText()).isEqualTo("What is 2+2?");
    }

    @Test
    void minimal_prompt_request_gets_defaults() {
        PromptRequest request = Codecs.PROMPT_REQUEST.decode(
                utf8("{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        assertThat(request.tenant()).isEqualTo("default");
        assertThat(request.maxTokens()).isNull();
        assertThat(request.metadata()).isEmpty();
        assertThat(request.routing()).isNull();
    }

    @Test
    void malformed_json_is_rejected_with_a_reason() {
        assertThatThrownBy(() -> Codecs.PROMPT_REQUEST.decode(utf8("{\"id\": ")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void empty_value_is_rejected() {
        assertThatThrownBy(() -> Codecs.PROMPT_REQUEST.decode(new byte[0]))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("empty record value");
    }

    @Test
    void schema_violations_are_named() {
        assertThatThrownBy(() -> Codecs.PROMPT_REQUEST.decode(utf8("{\"id\":\"a\",\"messages\":[]}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("fails schema prompt-request.schema.json")
                .hasMessageContaining("messages");
    }

    @Test
    void blank_prompt_fails_the_schema() {
        assertThatThrownBy(() -> Codecs.PROMPT_REQUEST.decode(
                        utf8("{\"id\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("content");
    }

    @Test
    void conversation_without_a_user_turn_fails_the_schema() {
        assertThatThrownBy(() -> Codecs.PROMPT_REQUEST.decode(
                        utf8("{\"id\":\"a\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("fails schema");
    }

    @Test
    void unknown_top_level_field_fails_the_schema() {
        assertThatThrownBy(() -> Codecs.PROMPT_REQUEST.decode(
                        utf8("{\"id\":\"a\",\"max_token\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("max_token");
    }

    @Test
    void routed_prompt_validates_the_nested_request_through_its_ref() {
        String bad = "{\"request\":{\"id\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]},"
                + "\"decision\":{\"tier\":\"weak\",\"model\":\"m\",\"score\":0.2,\"router\":\"random\","
                + "\"router_version\":\"1\",\"threshold\":0.5,\"routed_at\":1}}";

        assertThatThrownBy(() -> Codecs.ROUTED_PROMPT.decode(utf8(bad)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("id");
    }

    @Test
    void routed_prompt_and_response_round_trip() {
        PromptRequest request = new PromptRequest("r-2", null, List.of(ChatMessage.user("q")), null, null, null, 5);
        RoutedPrompt routed = new RoutedPrompt(
                request, new RoutingDecision(Tier.WEAK, "mixtral", 0.25, "random", "random-1", 0.5, false, 9));
        LlmResponse response = new LlmResponse(
                "r-2",
                "default",
                Tier.WEAK,
                "mixtral",
                "a",
                "stop",
                10,
                3,
                0.0001,
                12,
                1,
                ResponseStatus.OK,
                "random-1",
                5,
                20);

        assertThat(Codecs.ROUTED_PROMPT.decode(Codecs.ROUTED_PROMPT.encode(routed)))
                .isEqualTo(routed);
        assertThat(Codecs.LLM_RESPONSE.decode(Codecs.LLM_RESPONSE.encode(response)))
                .isEqualTo(response);
    }

    @Test
    void feedback_takes_exactly_one_kind_of_label() {
        Feedback golden = new Feedback("r-3", FeedbackSource.GOLDEN, "gpt-4", null, null, true, 1);
        assertThat(Codecs.FEEDBACK.decode(Codecs.FEEDBACK.encode(golden))).isEqualTo(golden);

        assertThatThrownBy(() -> Codecs.FEEDBACK.decode(
                        utf8("{\"request_id\":\"r\",\"source\":\"human\",\"preferred\":\"strong\",\"rating\":3}")))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Codecs.FEEDBACK.decode(
                        utf8("{\"request_id\":\"r\",\"source\":\"robot\"," + "\"preferred\":\"strong\"}")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("source");
    }

    @Test
    void dead_letter_round_trips() {
        DeadLetter letter = new DeadLetter("k", "AAE=", "llm-prompts", 0, 42, "router-stream", "bad", 7);
        assertThat(Codecs.DEAD_LETTER.decode(Codecs.DEAD_LETTER.encode(letter))).isEqualTo(letter);
    }

    @Test
    void topic_names_are_kebab_case_and_prefixable() {
        assertThat(Topics.DEFAULT.all()).extracting(Topic::name).allMatch(name -> name.matches("[a-z]+(-[a-z]+)*"));
        assertThat(Topics.withPrefix("t1-").queue(Tier.STRONG).name()).isEqualTo("t1-llm-queue-strong");
    }

    @Test
    void probe12_a_rating_outside_zero_to_one_is_refused_by_the_schema() {
        for (String rating : new String[] {"1e300", "-1e300", "1.5", "-0.1"}) {
            String json = "{\"request_id\":\"r\",\"source\":\"human\",\"model\":\"m\",\"rating\":" + rating + "}";
            assertThatThrownBy(() -> Codecs.FEEDBACK.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .as(rating)
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessageContaining("rating");
        }
        String ok = "{\"request_id\":\"r\",\"source\":\"human\",\"model\":\"m\",\"rating\":0.75}";
        assertThat(Codecs.FEEDBACK
                        .decode(ok.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .rating())
                .isEqualTo(0.75);
    }
}
