package dev.tollgate.inbound;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import java.util.Set;

/**
 * Reasoning options of every inbound format, carried in the internal request as OpenAI's {@code reasoning_effort}
 * (the one field OpenAI-compatible servers read, Ollama's included). A thinking budget in tokens (Anthropic's
 * {@code thinking.budget_tokens}) becomes the effort whose usual budget it is closest to; the per-family mapping
 * towards each upstream's own knob belongs to the outbound side.
 */
public final class Reasoning {

    public static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high");

    private Reasoning() {
    }

    /** Up to 2 048 tokens is low, up to 8 192 medium, more is high. */
    public static void fromBudget(int budgetTokens, ObjectNode internal) {
        String effort = budgetTokens <= 2048 ? "low" : budgetTokens <= 8192 ? "medium" : "high";
        internal.put("reasoning_effort", effort);
    }

    public static void fromEffort(String effort, String param, ObjectNode internal) {
        if (!EFFORTS.contains(effort)) {
            throw ApiException.invalid(param, "'" + param + "' must be one of none, minimal, low, medium, high.");
        }
        internal.put("reasoning_effort", effort);
    }
}
