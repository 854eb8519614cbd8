package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.openai.ChatRequest;
import dev.tollgate.upstream.JsonTrees;
import dev.tollgate.upstream.SseEvents;
import dev.tollgate.upstream.UpstreamStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code tollgate_reasoning_in_content: true}: reasoning text moved into {@code content} between {@code <think>} and
 * {@code </think>}, for clients that show only {@code content}. Applied to what the upstream answered, before the
 * relay and the bound see it, so the reasoning is counted exactly once either way. Servers differ in the field
 * name: {@code reasoning_content} (DeepSeek, vLLM, Tollgate's own providers) or {@code reasoning} (Ollama, OpenRouter).
 */
final class ReasoningInContent {

    static final String FIELD = "tollgate_reasoning_in_content";
    private static final ObjectMapper JSON = JsonBuffers.mapper();
    private static final String[] REASONING = {"reasoning_content", "reasoning"};

    private ReasoningInContent() {
    }

    static boolean wanted(ChatRequest request) {
        JsonNode flag = request.field(FIELD);
        return flag != null && flag.asBoolean(false);
    }

    /** A buffered {@code chat.completion}: each message's reasoning in front of its content. */
    static byte[] buffered(byte[] body) {
        try {
            JsonNode response = JSON.readTree(body);
            for (JsonNode choice : response.path("choices")) {
                if (choice.path("message") instanceof ObjectNode message) {
                    String reasoning = take(message);
                    if (!reasoning.isEmpty()) {
                        message.put("content", "<think>" + reasoning + "</think>" + message.path("content").asText(""));
                    }
                }
            }
            return JsonTrees.bytes(response);
        } catch (IOException e) {
            return body; // not JSON: the service reports it as the upstream's protocol error
        }
    }

    /** A stream: reasoning deltas become content deltas, opened by {@code <think>} and closed before the answer. */
    static UpstreamStream stream(UpstreamStream upstream) {
        Set<Integer> thinking = new HashSet<>();
        return new UpstreamStream() {
            @Override
            public String next() throws IOException {
                String data = upstream.next();
                if (data == null || data == SseEvents.DONE) {
                    return data;
                }
                JsonNode chunk;
                try {
                    chunk = JSON.readTree(data);
                } catch (IOException e) {
                    return data; // the relay decides what a malformed chunk means
                }
                for (JsonNode choice : chunk.path("choices")) {
                    if (choice.path("delta") instanceof ObjectNode delta) {
                        rewrite(choice.path("index").asInt(0), delta, !choice.path("finish_reason").isNull()
                                && choice.has("finish_reason"), thinking);
                    }
                }
                return chunk.toString();
            }

            @Override
            public void close() {
                upstream.close();
            }

            @Override
            public void release() {
                upstream.release();
            }
        };
    }

    private static void rewrite(int index, ObjectNode delta, boolean finishing, Set<Integer> thinking) {
        String reasoning = take(delta);
        String content = delta.path("content").asText("");
        StringBuilder out = new StringBuilder();
        if (!reasoning.isEmpty()) {
            out.append(thinking.add(index) ? "<think>" : "").append(reasoning);
        }
        if ((!content.isEmpty() || finishing) && thinking.remove(index)) {
            out.append("</think>");
        }
        out.append(content);
        if (!out.isEmpty()) {
            delta.put("content", out.toString());
        }
    }

    private static String take(ObjectNode node) {
        StringBuilder text = new StringBuilder();
        for (String field : REASONING) {
            JsonNode value = node.remove(field);
            if (value != null && value.isTextual()) {
                text.append(value.asText());
            }
        }
        return text.toString();
    }
}
