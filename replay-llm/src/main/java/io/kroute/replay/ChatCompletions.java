package io.kroute.replay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI chat-completions protocol over the replay data: validates a request body and builds the response body.
 * Pure and synchronous, so the HTTP layer (latency, and later fault injection) stays separate.
 */
public final class ChatCompletions {

    private static final String[] FILLER = {
        "replay",
        "answer",
        "token",
        "stream",
        "kafka",
        "router",
        "model",
        "queue",
        "prompt",
        "worker",
        "cost",
        "latency",
        "strong",
        "weak",
        "offset",
        "partition",
        "record",
        "batch",
        "commit",
        "score"
    };

    private final ReplayDataset dataset;
    private final TokenCounter tokens;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final ReplayJudge judge;

    public ChatCompletions(ReplayDataset dataset, TokenCounter tokens, Clock clock) {
        this.dataset = dataset;
        this.tokens = tokens;
        this.clock = clock;
        this.judge = new ReplayJudge(dataset, this);
    }

    /**
     * Answers one request body.
     *
     * @throws OpenAiError (400) when the request is malformed, (404) when no recorded data names the model
     */
    public JsonObject complete(JsonObject request) {
        String model = requiredString(request, "model");
        List<TokenCounter.Message> messages = messages(request);
        Integer maxTokens = maxTokens(request);
        if (Boolean.TRUE.equals(request.getValue("stream"))) {
            throw OpenAiError.invalidRequest(
                    "unsupported_value", "The replay server does not stream: send 'stream': false or leave it out.");
        }
        // A model nothing was recorded for would only ever get filler: say so, as a real provider would.
        if (!model.equals(ReplayJudge.MODEL) && !dataset.models().contains(model)) {
            throw OpenAiError.modelNotFound(model);
        }

        String prompt = lastUserContent(messages);
        String text = model.equals(ReplayJudge.MODEL) ? judge.judge(prompt) : answerText(model, prompt);
        String finishReason = "stop";
        int completionTokens;
        TokenCounter.Truncated truncated = maxTokens == null ? null : tokens.truncate(text, maxTokens);
        if (truncated != null) {
            text = truncated.text();
            completionTokens = truncated.tokens();
            finishReason = "length";
        } else {
            completionTokens = tokens.count(text);
        }
        int promptTokens = tokens.countChat(messages);

        return body(
                "chatcmpl-replay-" + sequence.incrementAndGet(),
                clock.millis() / 1000,
                model,
                text,
                finishReason,
                promptTokens,
                completionTokens);
    }

    /** An OpenAI chat-completion response body with one choice, as the real API shapes it. */
    public static JsonObject body(
            String id,
            long createdSeconds,
            String model,
            String text,
            String finishReason,
            int promptTokens,
            int completionTokens) {
        return new JsonObject()
                .put("id", id)
                .put("object", "chat.completion")
                .put("created", createdSeconds)
                .put("model", model)
                .put(
                        "choices",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("index", 0)
                                        .put(
                                                "message",
                                                new JsonObject()
                                                        .put("role", "assistant")
                                                        .put("content", text))
                                        .put("logprobs", (Object) null)
                                        .put("finish_reason", finishReason)))
                .put(
                        "usage",
                        new JsonObject()
                                .put("prompt_tokens", promptTokens)
                                .put("completion_tokens", completionTokens)
                                .put("total_tokens", promptTokens + completionTokens));
    }

    /**
     * The recorded answer when there is one, else (a prompt not in the data, or one this model has no answer to) a
     * deterministic function of model and prompt.
     */
    String answerText(String model, String prompt) {
        Optional<ReplayItem> item = dataset.findByPrompt(prompt);
        Optional<RecordedAnswer> answer = item.flatMap(i -> i.answer(model));
        if (answer.isPresent()) {
            if (answer.get().text() != null) {
                return answer.get().text();
            }
            return "[replay] " + model + "'s answer to " + item.get().id() + " was recorded as "
                    + (answer.get().correct() ? "correct" : "incorrect")
                    + "; RouteLLM recorded correctness only, not the answer text.";
        }
        return deterministicFiller(model, prompt);
    }

    private static String deterministicFiller(String model, String prompt) {
        byte[] digest = sha256(model + '\u0000' + prompt);
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (digest[i] & 0xff);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int words = 16 + random.nextInt(80);
        StringBuilder text = new StringBuilder("[replay] No recorded answer for this prompt from ")
                .append(model)
                .append(" (")
                .append(HexFormat.of().formatHex(digest, 0, 6))
                .append("):");
        for (int i = 0; i < words; i++) {
            text.append(' ').append(FILLER[random.nextInt(FILLER.length)]);
        }
        return text.append('.').toString();
    }

    private static String requiredString(JsonObject request, String field) {
        Object value = request.getValue(field);
        if (value == null) {
            throw OpenAiError.invalidRequest(
                    "missing_required_parameter", "Missing required parameter: '" + field + "'.");
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw OpenAiError.invalidRequest("invalid_type", "Invalid type for '" + field + "': expected a string.");
        }
        return text;
    }

    private static List<TokenCounter.Message> messages(JsonObject request) {
        Object value = request.getValue("messages");
        if (value == null) {
            throw OpenAiError.invalidRequest("missing_required_parameter", "Missing required parameter: 'messages'.");
        }
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw OpenAiError.invalidRequest(
                    "invalid_value", "Invalid 'messages': expected a non-empty array of messages.");
        }
        List<TokenCounter.Message> messages = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject message)
                    || !(message.getValue("role") instanceof String role)) {
                throw OpenAiError.invalidRequest(
                        "invalid_value", "Invalid 'messages[" + i + "]': expected an object with a string 'role'.");
            }
            messages.add(new TokenCounter.Message(role, content(message.getValue("content"), i)));
        }
        return messages;
    }

    /** A string, or OpenAI's array of content parts of which the text parts are joined. */
    private static String content(Object content, int index) {
        if (content == null) {
            return "";
        }
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof JsonObject object && "text".equals(object.getValue("type"))) {
                    text.append(object.getString("text", ""));
                }
            }
            return text.toString();
        }
        throw OpenAiError.invalidRequest(
                "invalid_type", "Invalid type for 'messages[" + index + "].content': expected a string or an array.");
    }

    private static Integer maxTokens(JsonObject request) {
        Object value = request.getValue("max_completion_tokens", request.getValue("max_tokens"));
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)
                || number.doubleValue() != Math.rint(number.doubleValue())
                || number.longValue() < 1
                || number.longValue() > Integer.MAX_VALUE) {
            throw OpenAiError.invalidRequest(
                    "invalid_value", "Invalid 'max_tokens': expected an integer of at least 1, got " + value + ".");
        }
        return number.intValue();
    }

    private static String lastUserContent(List<TokenCounter.Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return messages.get(messages.size() - 1).content();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
