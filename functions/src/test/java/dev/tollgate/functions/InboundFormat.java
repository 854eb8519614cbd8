package dev.tollgate.functions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.functions.support.Sse;
import java.util.List;

/**
 * The inbound wire formats other than chat, as the billing tests drive them: one small request each, the line that
 * ends a complete stream, and how many content pieces a stream delivered. The prompt is the same single user
 * message in every format, so the hold is the same.
 */
enum InboundFormat {
    MESSAGES("/v1/messages", "data: {\"type\":\"message_stop\"}", "permission_error", "event: error") {
        @Override
        String body(String model, int maxTokens, boolean stream, String text) {
            return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        }

        @Override
        boolean isPiece(String line) {
            return line.contains("\"text_delta\"");
        }
    },
    RESPONSES("/v1/responses", "event: response.completed", "insufficient_quota", "event: response.failed") {
        @Override
        String body(String model, int maxTokens, boolean stream, String text) {
            return "{\"model\":\"" + model + "\",\"max_output_tokens\":" + maxTokens + ",\"stream\":" + stream
                    + ",\"store\":false,\"input\":\"" + text + "\"}";
        }

        @Override
        boolean isPiece(String line) {
            return line.startsWith("data: ") && line.contains("\"response.output_text.delta\"");
        }
    },
    COMPLETIONS("/v1/completions", "\"finish_reason\":\"stop\"", "insufficient_quota", "\"gateway_error\"") {
        @Override
        String body(String model, int maxTokens, boolean stream, String text) {
            return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                    + ",\"prompt\":\"" + text + "\"}";
        }

        @Override
        boolean isPiece(String line) {
            return line.startsWith("data: {") && !data(line).path("choices").path(0).path("text").asText("").isEmpty();
        }
    };

    final String path;
    final String streamEnd;
    final String refusalWord;
    /** What a stream that failed after the 200 ends with. */
    final String failure;

    InboundFormat(String path, String streamEnd, String refusalWord, String failure) {
        this.path = path;
        this.streamEnd = streamEnd;
        this.refusalWord = refusalWord;
        this.failure = failure;
    }

    abstract String body(String model, int maxTokens, boolean stream, String text);

    /** Whether an SSE line carries a piece of generated text. */
    abstract boolean isPiece(String line);

    long pieces(List<String> lines) {
        return lines.stream().filter(this::isPiece).count();
    }

    static JsonNode data(String line) {
        return Sse.data(line);
    }
}
