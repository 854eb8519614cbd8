package dev.tollgate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.openai.ChatRequest;

/**
 * Whether a request turns a model's thinking on, in any of the spellings clients use: OpenAI's
 * {@code reasoning_effort} (anything but {@code "none"}), OpenRouter's {@code reasoning} object, Anthropic-style
 * {@code thinking}, Ollama's {@code think}, Qwen's {@code enable_thinking} and vLLM's
 * {@code chat_template_kwargs.enable_thinking}. A switch that turns thinking off does not count.
 */
final class ReasoningOptions {

    private ReasoningOptions() {
    }

    static boolean on(ChatRequest request) {
        JsonNode effort = request.field("reasoning_effort");
        if (effort != null && effort.isTextual() && !effort.asText().equalsIgnoreCase("none")) {
            return true;
        }
        JsonNode reasoning = request.field("reasoning");
        if (reasoning != null && reasoning.isObject() && reasoning.path("enabled").asBoolean(true)
                && !"none".equalsIgnoreCase(reasoning.path("effort").asText(""))) {
            return true;
        }
        return thinking(request.field("thinking")) || switchedOn(request.field("think"))
                || switchedOn(request.field("enable_thinking"))
                || switchedOn(kwargs(request, "enable_thinking")) || switchedOn(kwargs(request, "thinking"));
    }

    private static JsonNode kwargs(ChatRequest request, String name) {
        JsonNode kwargs = request.field("chat_template_kwargs");
        return kwargs == null ? null : kwargs.get(name);
    }

    /** {@code thinking: {"type": "enabled"}} (or {@code "adaptive"}), or {@code thinking: true}. */
    private static boolean thinking(JsonNode value) {
        if (value != null && value.isObject()) {
            String type = value.path("type").asText("enabled");
            return !type.equalsIgnoreCase("disabled");
        }
        return switchedOn(value);
    }

    /** {@code true}, or a level such as {@code "high"} (Ollama's {@code think}); not {@code false} or {@code "none"}. */
    private static boolean switchedOn(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.isTextual() && !value.asText().isBlank() && !value.asText().equalsIgnoreCase("none")
                && !value.asText().equalsIgnoreCase("false");
    }
}
