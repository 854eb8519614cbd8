package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * {@code reasoning_effort} as the switch an OpenAI-compatible server of each model family reads (the catalog's
 * {@code reasoning}): Ollama's {@code think}, Qwen3's {@code chat_template_kwargs.enable_thinking} (vLLM, SGLang),
 * DeepSeek's {@code thinking.type}. These switches are on or off: low, medium and high are on; none and minimal are
 * off. Anthropic and Bedrock upstreams turn the effort into a thinking budget in their own providers. Thinking
 * tokens are output tokens, so the output bound, and with it the hold, covers them whatever the family.
 */
final class ReasoningSwitch {

    private static final Set<String> ON = Set.of("low", "medium", "high");

    private ReasoningSwitch() {
    }

    static void apply(ObjectNode body, String family) {
        JsonNode effort = body.get("reasoning_effort");
        if (effort == null || !effort.isTextual() || "openai".equals(family)) {
            return;
        }
        boolean on = ON.contains(effort.asText());
        switch (family) {
            case "ollama" -> body.put("think", on);
            case "qwen" -> {
                JsonNode kwargs = body.get("chat_template_kwargs");
                ObjectNode target = kwargs instanceof ObjectNode o ? o : body.putObject("chat_template_kwargs");
                target.put("enable_thinking", on);
            }
            case "deepseek" -> body.putObject("thinking").put("type", on ? "enabled" : "disabled");
            default -> {
                return;
            }
        }
        body.remove("reasoning_effort"); // these servers do not read it, and some refuse unknown fields
    }
}
