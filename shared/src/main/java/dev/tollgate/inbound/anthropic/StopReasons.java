package dev.tollgate.inbound.anthropic;

/** OpenAI {@code finish_reason} → Anthropic {@code stop_reason}. */
final class StopReasons {

    private StopReasons() {
    }

    static String of(String finishReason) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }
}
