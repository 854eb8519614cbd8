package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.catalog.RequestPolicy;
import java.util.Set;

/**
 * {@code reasoning_effort} as the switch an OpenAI-compatible server of each model family reads (the catalog's
 * {@code reasoning}): Ollama's {@code think}, Qwen3's {@code chat_template_kwargs.enable_thinking} (vLLM, SGLang),
 * DeepSeek's {@code thinking.type}. These switches are on or off: low, medium and high are on; none and minimal are
 * off. Anthropic and Bedrock upstreams turn the effort into a thinking budget in their own providers. Thinking
 * tokens are output tokens, so the output bound, and with it the hold, covers them whatever the family.
 *
 * <p>A model whose server thinks only when streaming ({@code reasoning_needs_stream}) gets the switch off on every
 * buffered request, whatever the caller asked and whatever the server's default: such a server refuses the request
 * otherwise (Alibaba Cloud's DashScope does for Qwen3's open models, whose thinking defaults to on). The response
 * says so in {@link #NOTE_HEADER}.
 */
public final class ReasoningSwitch {

    private static final Set<String> ON = Set.of("low", "medium", "high");
    /** The response header saying Tollgate turned thinking off. */
    public static final String NOTE_HEADER = "x-tollgate-reasoning";
    /** Its value: thinking was off because this model thinks only in streamed requests. */
    public static final String OFF_NEEDS_STREAM = "disabled (needs stream)";

    private ReasoningSwitch() {
    }

    /** Whether Tollgate turns thinking off for this request to this model (a buffered request, a stream-only thinker). */
    static boolean forcedOff(RequestPolicy policy, boolean streamed) {
        return policy.reasoningNeedsStream() && !streamed;
    }

    static void apply(ObjectNode body, RequestPolicy policy, boolean streamed) {
        if (forcedOff(policy, streamed)) {
            set(body, policy.reasoning(), false);
            return;
        }
        apply(body, policy.reasoning());
    }

    static void apply(ObjectNode body, String family) {
        JsonNode effort = body.get("reasoning_effort");
        if (effort == null || !effort.isTextual() || "openai".equals(family)) {
            return;
        }
        set(body, family, ON.contains(effort.asText()));
    }

    private static void set(ObjectNode body, String family, boolean on) {
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
