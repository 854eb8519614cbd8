package dev.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;

/**
 * A settled chat completion (with Tollgate's usage, cost and billing summary) → an Anthropic {@code message}:
 * reasoning as a thinking block, then the text, then one tool_use block per tool call.
 */
public final class ToMessagesResponse {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    private ToMessagesResponse() {
    }

    public static ObjectNode map(JsonNode completion, String requestId) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", messageId(requestId));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", completion.path("model").asText());
        ArrayNode content = out.putArray("content");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String reasoning = message.path("reasoning_content").asText(message.path("reasoning").asText(""));
        if (!reasoning.isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
        }
        String text = message.path("content").asText("");
        if (!text.isEmpty() || !message.path("tool_calls").isArray()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText())
                    .set("input", input(call.path("function").path("arguments").asText("")));
        }
        out.put("stop_reason", StopReasons.of(choice.path("finish_reason").asText("stop")));
        out.putNull("stop_sequence");
        out.set("usage", usage(completion.path("usage")));
        if (completion.has("tollgate")) {
            out.set("tollgate", completion.get("tollgate"));
        }
        return out;
    }

    static String messageId(String requestId) {
        return "msg_" + requestId;
    }

    /**
     * Anthropic counts cached prompt tokens outside {@code input_tokens}, OpenAI inside {@code prompt_tokens}: the
     * part read from the cache moves to {@code cache_read_input_tokens}, the part written to it to
     * {@code cache_creation_input_tokens}. {@code cost} is Tollgate's charge, as on chat.
     */
    static ObjectNode usage(JsonNode openAi) {
        long prompt = openAi.path("prompt_tokens").asLong(0);
        long cached = openAi.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        long written = openAi.path("prompt_tokens_details").path("cache_write_tokens").asLong(0);
        ObjectNode usage = JsonNodeFactory.instance.objectNode();
        usage.put("input_tokens", Math.max(0, prompt - cached - written));
        usage.put("cache_creation_input_tokens", written);
        usage.put("cache_read_input_tokens", cached);
        usage.put("output_tokens", openAi.path("completion_tokens").asLong(0));
        long reasoning = openAi.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
        if (reasoning > 0) {
            // not in Anthropic's usage (its output count includes thinking): Tollgate's extension, as on Responses
            usage.putObject("output_tokens_details").put("reasoning_tokens", reasoning);
        }
        if (openAi.has("cost")) {
            usage.set("cost", openAi.get("cost"));
        }
        return usage;
    }

    /** A tool call's arguments as the object Anthropic's {@code input} is; text that is not an object is kept whole. */
    static JsonNode input(String arguments) {
        if (arguments.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode node = JSON.readTree(arguments);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // falls through: the model wrote arguments that are not JSON
        }
        return JsonNodeFactory.instance.objectNode().put("arguments", arguments);
    }
}
