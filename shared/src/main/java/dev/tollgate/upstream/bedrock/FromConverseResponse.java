package dev.tollgate.upstream.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.ThinkingTokens;

/**
 * A Bedrock Converse response as an OpenAI {@code chat.completion}. Pure (id, model and time are passed in: Converse
 * answers carry none of them).
 *
 * <p>Usage is normalised once, to OpenAI's meaning: Bedrock counts cache reads and writes outside
 * {@code inputTokens}, so {@code prompt_tokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens} and
 * {@code cached_tokens = cacheReadInputTokens}.
 */
public final class FromConverseResponse {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FromConverseResponse() {
    }

    public static ObjectNode map(JsonNode converse, String id, String model, long created) {
        ObjectNode out = NODES.objectNode().put("id", id).put("object", "chat.completion").put("created", created)
                .put("model", model);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode reply = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode block : converse.path("output").path("message").path("content")) {
            if (block.has("text")) {
                text.append(block.path("text").asText());
            } else if (block.has("reasoningContent")) {
                reasoning.append(block.path("reasoningContent").path("reasoningText").path("text").asText(""));
            } else if (block.has("toolUse")) {
                JsonNode use = block.path("toolUse");
                ObjectNode call = calls.addObject().put("id", use.path("toolUseId").asText()).put("type", "function");
                call.putObject("function").put("name", use.path("name").asText()).put("arguments", use.path("input").toString());
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            reply.putNull("content");
        } else {
            reply.put("content", text.toString());
        }
        if (!reasoning.isEmpty()) {
            reply.put("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            reply.set("tool_calls", calls);
        }
        choice.put("finish_reason", finishReason(converse.path("stopReason").asText(null)));
        ObjectNode usage = usage(converse.path("usage"));
        ThinkingTokens.addTo(usage, reasoning);
        if (usage != null) {
            out.set("usage", usage);
        }
        return out;
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }

    static ObjectNode usage(JsonNode usage) {
        if (!usage.isObject() || !usage.has("inputTokens") || !usage.has("outputTokens")) {
            return null;
        }
        long cacheRead = Math.max(0, usage.path("cacheReadInputTokens").asLong(0));
        long cacheWrite = Math.max(0, usage.path("cacheWriteInputTokens").asLong(0));
        long prompt = Math.max(0, usage.path("inputTokens").asLong()) + cacheRead + cacheWrite;
        long completion = Math.max(0, usage.path("outputTokens").asLong());
        ObjectNode out = NODES.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        ObjectNode details = out.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        if (cacheWrite > 0) {
            details.put("cache_write_tokens", cacheWrite);
        }
        return out;
    }
}
