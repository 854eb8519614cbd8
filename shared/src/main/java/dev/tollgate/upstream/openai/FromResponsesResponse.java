package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Responses {@code response} object as a {@code chat.completion}, so the relay, the output bound and
 * settlement see what every other upstream gives them. Pure: no I/O.
 *
 * <p>Usage already has OpenAI's meaning on both sides (cached tokens counted inside the input): {@code input_tokens}
 * → {@code prompt_tokens}, {@code output_tokens} (reasoning included) → {@code completion_tokens}, and the two
 * details objects keep their counts.
 */
public final class FromResponsesResponse {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FromResponsesResponse() {
    }

    public static ObjectNode map(JsonNode response) {
        ObjectNode out = NODES.objectNode();
        out.put("id", response.path("id").asText());
        out.put("object", "chat.completion");
        out.put("created", response.path("created_at").asLong());
        out.put("model", response.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> item.path("content").forEach(part -> text.append(part.path("text").asText(
                        part.path("refusal").asText(""))));
                case "reasoning" -> reasoning.append(reasoningText(item));
                case "function_call" -> {
                    ObjectNode call = calls.addObject().put("id", item.path("call_id").asText()).put("type", "function");
                    call.putObject("function").put("name", item.path("name").asText())
                            .put("arguments", item.path("arguments").asText());
                }
                default -> {
                    // built-in tool items: Tollgate sends no built-in tools, so none should come back
                }
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        choice.put("finish_reason", finishReason(response, !calls.isEmpty()));
        ObjectNode usage = usage(response.path("usage"));
        if (usage != null) {
            out.set("usage", usage);
        }
        return out;
    }

    /** The reasoning item's full text when the upstream gives it, else its summary. */
    static String reasoningText(JsonNode item) {
        StringBuilder text = new StringBuilder();
        item.path("content").forEach(part -> text.append(part.path("text").asText("")));
        if (text.isEmpty()) {
            item.path("summary").forEach(part -> text.append(part.path("text").asText("")));
        }
        return text.toString();
    }

    /** {@code incomplete} at max_output_tokens is chat's {@code length}; a finished turn with calls is tool_calls. */
    static String finishReason(JsonNode response, boolean calledTools) {
        if ("incomplete".equals(response.path("status").asText())) {
            return "content_filter".equals(response.path("incomplete_details").path("reason").asText())
                    ? "content_filter" : "length";
        }
        return calledTools ? "tool_calls" : "stop";
    }

    /** Responses usage as chat usage; {@code null} when there is none. */
    static ObjectNode usage(JsonNode usage) {
        if (!usage.isObject() || !usage.has("input_tokens") || !usage.has("output_tokens")) {
            return null;
        }
        long prompt = Math.max(0, usage.path("input_tokens").asLong());
        long completion = Math.max(0, usage.path("output_tokens").asLong());
        ObjectNode out = NODES.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        out.putObject("prompt_tokens_details").put("cached_tokens",
                Math.max(0, usage.path("input_tokens_details").path("cached_tokens").asLong()));
        long reasoning = Math.max(0, usage.path("output_tokens_details").path("reasoning_tokens").asLong());
        if (reasoning > 0) {
            out.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
        }
        return out;
    }
}
