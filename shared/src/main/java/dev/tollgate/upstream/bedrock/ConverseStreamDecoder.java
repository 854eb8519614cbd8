package dev.tollgate.upstream.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.upstream.ThinkingTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ConverseStream events ({@code messageStart}, {@code contentBlockStart|Delta|Stop}, {@code messageStop},
 * {@code metadata}) as OpenAI {@code chat.completion.chunk}s. Pure: (event type, payload) in, chunks out.
 *
 * <p>Bedrock sends {@code metadata} (the usage) after {@code messageStop}; its usage becomes OpenAI's final
 * {@code include_usage} chunk, normalised as in {@link FromConverseResponse}. A stream without {@code metadata}
 * gets no usage chunk, so Tollgate counts the tokens itself.
 */
public final class ConverseStreamDecoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String id;
    private final String model;
    private final long created;
    private final Map<Integer, Integer> toolIndexes = new HashMap<>();
    private boolean stopped;
    private boolean finished;

    /** The reasoning relayed so far, counted as reasoning tokens when the usage arrives. */
    private final StringBuilder reasoning = new StringBuilder();

    public ConverseStreamDecoder(String id, String model, long created) {
        this.id = id;
        this.model = model;
        this.created = created;
    }

    public List<ObjectNode> decode(String eventType, JsonNode payload) {
        List<ObjectNode> chunks = new ArrayList<>();
        switch (eventType) {
            case "messageStart" -> chunks.add(delta(NODES.objectNode().put("role", "assistant").put("content", "")));
            case "contentBlockStart" -> {
                JsonNode use = payload.path("start").path("toolUse");
                if (use.isObject()) {
                    int toolIndex = toolIndexes.size();
                    toolIndexes.put(payload.path("contentBlockIndex").asInt(), toolIndex);
                    ObjectNode call = NODES.objectNode().put("index", toolIndex).put("id", use.path("toolUseId").asText())
                            .put("type", "function");
                    call.putObject("function").put("name", use.path("name").asText()).put("arguments", "");
                    ObjectNode delta = NODES.objectNode();
                    delta.putArray("tool_calls").add(call);
                    chunks.add(delta(delta));
                }
            }
            case "contentBlockDelta" -> blockDelta(payload, chunks);
            case "messageStop" -> {
                stopped = true;
                ObjectNode chunk = delta(NODES.objectNode());
                ((ObjectNode) chunk.path("choices").get(0)).put("finish_reason",
                        FromConverseResponse.finishReason(payload.path("stopReason").asText(null)));
                chunks.add(chunk);
            }
            case "metadata" -> {
                finished = true;
                ObjectNode usage = FromConverseResponse.usage(payload.path("usage"));
                ThinkingTokens.addTo(usage, reasoning);
                if (usage != null) {
                    ObjectNode chunk = chunk();
                    chunk.putArray("choices");
                    chunk.set("usage", usage);
                    chunks.add(chunk);
                }
            }
            default -> {
                // contentBlockStop and event types added later carry nothing to relay
            }
        }
        return chunks;
    }

    /** {@code messageStop} arrived: the message is complete (the usage may still follow). */
    public boolean stopped() {
        return stopped;
    }

    /** {@code metadata} arrived: nothing more follows. */
    public boolean finished() {
        return finished;
    }

    private void blockDelta(JsonNode payload, List<ObjectNode> chunks) {
        JsonNode delta = payload.path("delta");
        if (delta.has("text")) {
            chunks.add(delta(NODES.objectNode().put("content", delta.path("text").asText())));
        } else if (delta.path("reasoningContent").has("text")) {
            reasoning.append(delta.path("reasoningContent").path("text").asText());
            chunks.add(delta(NODES.objectNode().put("reasoning_content", delta.path("reasoningContent").path("text").asText())));
        } else if (delta.has("toolUse")) {
            Integer toolIndex = toolIndexes.get(payload.path("contentBlockIndex").asInt());
            if (toolIndex != null) {
                ObjectNode call = NODES.objectNode().put("index", toolIndex);
                call.putObject("function").put("arguments", delta.path("toolUse").path("input").asText());
                ObjectNode out = NODES.objectNode();
                out.putArray("tool_calls").add(call);
                chunks.add(delta(out));
            }
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
