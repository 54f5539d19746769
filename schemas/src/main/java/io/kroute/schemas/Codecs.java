package io.kroute.schemas;

/** One validating codec per message type, each bound to its JSON Schema file. */
public final class Codecs {

    public static final MessageCodec<PromptRequest> PROMPT_REQUEST =
            new MessageCodec<>(PromptRequest.class, "prompt-request.schema.json");
    public static final MessageCodec<RoutedPrompt> ROUTED_PROMPT =
            new MessageCodec<>(RoutedPrompt.class, "routed-prompt.schema.json");
    public static final MessageCodec<LlmResponse> LLM_RESPONSE =
            new MessageCodec<>(LlmResponse.class, "llm-response.schema.json");
    public static final MessageCodec<Feedback> FEEDBACK = new MessageCodec<>(Feedback.class, "feedback.schema.json");
    public static final MessageCodec<LabeledPrompt> LABELED_PROMPT =
            new MessageCodec<>(LabeledPrompt.class, "labeled-prompt.schema.json");
    public static final MessageCodec<RouterModel> ROUTER_MODEL =
            new MessageCodec<>(RouterModel.class, "router-model.schema.json");
    public static final MessageCodec<DeadLetter> DEAD_LETTER =
            new MessageCodec<>(DeadLetter.class, "dead-letter.schema.json");

    private Codecs() {}
}
