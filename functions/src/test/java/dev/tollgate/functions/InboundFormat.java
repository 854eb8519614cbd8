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
    MESSAGES("/v1/messages", "data: {\"type\":\"message_stop\"}", "permission_error") {
        @Override
        String body(String model, int maxTokens, boolean stream, String text) {
            return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
        }

        @Override
        boolean isPiece(String line) {
            return line.contains("\"text_delta\"");
        }
    };

    final String path;
    final String streamEnd;
    final String refusalWord;

    InboundFormat(String path, String streamEnd, String refusalWord) {
        this.path = path;
        this.streamEnd = streamEnd;
        this.refusalWord = refusalWord;
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
