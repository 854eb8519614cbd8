package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI Responses stream events as {@code chat.completion.chunk}s. Pure: events in, chunks out, no I/O.
 *
 * <p>{@code response.created} opens the message; text, reasoning ({@code response.reasoning_text.delta} and
 * {@code response.reasoning_summary_text.delta}) and function-call argument deltas become deltas; a
 * {@code function_call} item added opens a tool call. {@code response.completed} or {@code response.incomplete} ends
 * it with a finish chunk and, when the response carries usage, OpenAI's {@code include_usage} chunk (empty
 * {@code choices}). {@code response.failed} and {@code error} fail the stream after it had started.
 */
public final class ResponsesStreamDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private long created;
    private String id = "";
    private String model = "";
    /** Responses output index → chat tool-call index, for items that are function calls. */
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private boolean finished;


    /** A {@code response.failed} or {@code error} event: the stream failed after it had started. */
    public static final class StreamError extends Exception {
        public StreamError(String message) {
            super(message);
        }
    }

    /** The chunks one event becomes (often none). */
    public List<ObjectNode> decode(JsonNode event) throws StreamError {
        List<ObjectNode> chunks = new ArrayList<>();
        switch (event.path("type").asText()) {
            case "response.created" -> {
                id = event.path("response").path("id").asText("");
                model = event.path("response").path("model").asText("");
                created = event.path("response").path("created_at").asLong();
                chunks.add(delta(NODES.objectNode().put("role", "assistant").put("content", "")));
            }
            case "response.output_text.delta", "response.refusal.delta" ->
                    chunks.add(delta(NODES.objectNode().put("content", event.path("delta").asText())));
            case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" ->
                    chunks.add(delta(NODES.objectNode().put("reasoning_content", event.path("delta").asText())));
            case "response.output_item.added" -> toolStart(event, chunks);
            case "response.function_call_arguments.delta" -> {
                Integer toolIndex = toolIndexes.get(event.path("output_index").asInt());
                if (toolIndex != null) {
                    ObjectNode call = NODES.objectNode().put("index", toolIndex);
                    call.putObject("function").put("arguments", event.path("delta").asText());
                    ObjectNode delta = NODES.objectNode();
                    delta.putArray("tool_calls").add(call);
                    chunks.add(delta(delta));
                }
            }
            case "response.completed", "response.incomplete" -> {
                finished = true;
                JsonNode response = event.path("response");
                ObjectNode finish = delta(NODES.objectNode());
                ((ObjectNode) finish.path("choices").get(0)).put("finish_reason",
                        FromResponsesResponse.finishReason(response, !toolIndexes.isEmpty()));
                chunks.add(finish);
                ObjectNode usage = FromResponsesResponse.usage(response.path("usage"));
                if (usage != null) {
                    ObjectNode chunk = chunk();
                    chunk.putArray("choices");
                    chunk.set("usage", usage);
                    chunks.add(chunk);
                }
            }
            case "response.failed" -> throw new StreamError("upstream response failed: "
                    + event.path("response").path("error").path("message").asText("no reason given"));
            case "error" -> throw new StreamError("upstream stream error: " + event.path("code").asText("error") + ": "
                    + event.path("message").asText(""));
            default -> {
                // in_progress, content_part and *.done events repeat what the deltas already carried
            }
        }
        return chunks;
    }

    /** True once the response completed (or stopped incomplete): nothing more follows. */
    public boolean finished() {
        return finished;
    }

    private void toolStart(JsonNode event, List<ObjectNode> chunks) {
        JsonNode item = event.path("item");
        if (!"function_call".equals(item.path("type").asText())) {
            return;
        }
        int toolIndex = toolIndexes.size();
        toolIndexes.put(event.path("output_index").asInt(), toolIndex);
        ObjectNode call = NODES.objectNode().put("index", toolIndex).put("id", item.path("call_id").asText())
                .put("type", "function");
        call.putObject("function").put("name", item.path("name").asText()).put("arguments", item.path("arguments").asText(""));
        ObjectNode delta = NODES.objectNode();
        delta.putArray("tool_calls").add(call);
        chunks.add(delta(delta));
    }

    private ObjectNode delta(ObjectNode delta) {
        ObjectNode chunk = chunk();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("finish_reason");
        return chunk;
    }

    private ObjectNode chunk() {
        return NODES.objectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }
}
