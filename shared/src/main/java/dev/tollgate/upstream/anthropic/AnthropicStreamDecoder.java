package dev.tollgate.upstream.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.ThinkingTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's stream events ({@code message_start}, {@code content_block_start|delta|stop}, {@code message_delta},
 * {@code message_stop}, {@code ping}, {@code error}) as OpenAI {@code chat.completion.chunk}s. Pure: events in,
 * chunks out, no I/O.
 *
 * <p>Usage arrives in two halves (input and cache counts in {@code message_start}, the cumulative output count in
 * {@code message_delta}); it is emitted once, normalised as in {@link FromAnthropicResponse}, in a final chunk with
 * empty {@code choices} (OpenAI's {@code include_usage} chunk) when {@code message_stop} arrives. A stream that
 * reported no usage gets no usage chunk, so Tollgate counts the tokens itself.
 */
public final class AnthropicStreamDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final long created;
    private String id = "";
    private String model = "";
    private ObjectNode usage = NODES.objectNode();
    /** Anthropic content-block index → OpenAI tool-call index, for blocks that are tool uses. */
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private boolean stopped;
    /** The thinking relayed so far, counted as reasoning tokens when the usage is emitted. */
    private final StringBuilder thinking = new StringBuilder();

    public AnthropicStreamDecoder(long created) {
        this.created = created;
    }

    /** An upstream {@code error} event: the stream failed after it had started. */
    public static final class StreamError extends Exception {
        public StreamError(String message) {
            super(message);
        }
    }

    /** The chunks one event becomes (often none). */
    public List<ObjectNode> decode(JsonNode event) throws StreamError {
        List<ObjectNode> chunks = new ArrayList<>();
        switch (event.path("type").asText()) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                id = message.path("id").asText("");
                model = message.path("model").asText("");
                merge(message.path("usage"));
                chunks.add(delta(NODES.objectNode().put("role", "assistant").put("content", "")));
            }
            case "content_block_start" -> blockStart(event, chunks);
            case "content_block_delta" -> blockDelta(event, chunks);
            case "message_delta" -> {
                merge(event.path("usage"));
                String stop = event.path("delta").path("stop_reason").asText(null);
                if (stop != null) {
                    ObjectNode chunk = delta(NODES.objectNode());
                    ((ObjectNode) chunk.path("choices").get(0)).put("finish_reason", FromAnthropicResponse.finishReason(stop));
                    chunks.add(chunk);
                }
            }
            case "message_stop" -> {
                stopped = true;
                ObjectNode normalised = FromAnthropicResponse.usage(usage);
                ThinkingTokens.addTo(normalised, thinking);
                if (normalised != null) {
                    ObjectNode chunk = chunk();
                    chunk.putArray("choices");
                    chunk.set("usage", normalised);
                    chunks.add(chunk);
                }
            }
            case "error" -> throw new StreamError("upstream stream error: "
                    + event.path("error").path("type").asText("error") + ": " + event.path("error").path("message").asText(""));
            default -> {
                // ping, content_block_stop and event types added later carry nothing to relay
            }
        }
        return chunks;
    }

    /** True once {@code message_stop} was decoded: the stream ended as Anthropic ends a complete message. */
    public boolean stopped() {
        return stopped;
    }

    private void blockStart(JsonNode event, List<ObjectNode> chunks) {
        JsonNode block = event.path("content_block");
        if ("tool_use".equals(block.path("type").asText())) {
            int toolIndex = toolIndexes.size();
            toolIndexes.put(event.path("index").asInt(), toolIndex);
            ObjectNode call = NODES.objectNode().put("index", toolIndex).put("id", block.path("id").asText())
                    .put("type", "function");
            call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
            ObjectNode delta = NODES.objectNode();
            delta.putArray("tool_calls").add(call);
            chunks.add(delta(delta));
        } else if ("text".equals(block.path("type").asText()) && !block.path("text").asText("").isEmpty()) {
            chunks.add(delta(NODES.objectNode().put("content", block.path("text").asText())));
        }
    }

    private void blockDelta(JsonNode event, List<ObjectNode> chunks) {
        JsonNode delta = event.path("delta");
        switch (delta.path("type").asText()) {
            case "text_delta" -> chunks.add(delta(NODES.objectNode().put("content", delta.path("text").asText())));
            case "thinking_delta" -> {
                thinking.append(delta.path("thinking").asText());
                chunks.add(delta(NODES.objectNode().put("reasoning_content", delta.path("thinking").asText())));
            }
            case "input_json_delta" -> {
                Integer toolIndex = toolIndexes.get(event.path("index").asInt());
                if (toolIndex != null) {
                    ObjectNode call = NODES.objectNode().put("index", toolIndex);
                    call.putObject("function").put("arguments", delta.path("partial_json").asText());
                    ObjectNode out = NODES.objectNode();
                    out.putArray("tool_calls").add(call);
                    chunks.add(delta(out));
                }
            }
            default -> {
                // signature_delta and citations: nothing OpenAI clients read
            }
        }
    }

    /** Later counts replace earlier ones: message_delta's output_tokens is cumulative. */
    private void merge(JsonNode counts) {
        if (counts.isObject()) {
            counts.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber()) {
                    usage.set(field.getKey(), field.getValue());
                }
            });
        }
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
