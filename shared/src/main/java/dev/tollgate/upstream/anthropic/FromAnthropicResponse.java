package dev.tollgate.upstream.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.ThinkingTokens;

/**
 * An Anthropic Messages response as an OpenAI {@code chat.completion}. Pure: no I/O ({@code created} is passed in).
 *
 * <p>Usage is normalised here, once, to OpenAI's meaning: Anthropic counts cache reads and cache writes
 * <em>outside</em> {@code input_tokens}, OpenAI counts cached tokens <em>inside</em> {@code prompt_tokens}. So
 * {@code prompt_tokens = input + cache_read + cache_creation} and {@code cached_tokens = cache_read}; pricing then
 * charges cached tokens at the cached rate and the rest (cache writes included) at the input rate.
 */
public final class FromAnthropicResponse {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FromAnthropicResponse() {
    }

    public static ObjectNode map(JsonNode message, long created) {
        ObjectNode out = NODES.objectNode();
        out.put("id", message.path("id").asText());
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", message.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode reply = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> thinking.append(block.path("thinking").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText())
                            .put("arguments", block.path("input").toString());
                }
                default -> {
                    // redacted_thinking and server-tool blocks carry nothing an OpenAI client can use
                }
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            reply.putNull("content");
        } else {
            reply.put("content", text.toString());
        }
        if (!thinking.isEmpty()) {
            reply.put("reasoning_content", thinking.toString());
        }
        if (!calls.isEmpty()) {
            reply.set("tool_calls", calls);
        }
        choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null)));
        ObjectNode usage = usage(message.path("usage"));
        ThinkingTokens.addTo(usage, thinking);
        if (usage != null) {
            out.set("usage", usage);
        }
        return out;
    }

    /** Anthropic's stop reason as OpenAI's finish reason. */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /** Anthropic usage in OpenAI's meaning (see the class comment); {@code null} when there is none. */
    static ObjectNode usage(JsonNode usage) {
        if (!usage.isObject() || !usage.has("input_tokens") || !usage.has("output_tokens")) {
            return null;
        }
        long cacheRead = Math.max(0, usage.path("cache_read_input_tokens").asLong(0));
        long cacheWrite = Math.max(0, usage.path("cache_creation_input_tokens").asLong(0));
        long prompt = Math.max(0, usage.path("input_tokens").asLong()) + cacheRead + cacheWrite;
        long completion = Math.max(0, usage.path("output_tokens").asLong());
        ObjectNode out = NODES.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        ObjectNode details = out.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        if (cacheWrite > 0) {
            details.put("cache_write_tokens", cacheWrite);
        }
        return out;
    }
}
