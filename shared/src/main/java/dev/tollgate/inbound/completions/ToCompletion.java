package dev.tollgate.inbound.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Chat answers → the {@code text_completion} shape, buffered or chunk by chunk: each choice's message content (or
 * delta content) becomes its {@code text}; usage (with Tollgate's {@code cost}) and the {@code tollgate} summary
 * are kept as they are, since legacy completions count tokens as chat does.
 */
public final class ToCompletion {

    private ToCompletion() {
    }

    public static ObjectNode response(JsonNode completion, String requestId) {
        return map(completion, requestId, "message");
    }

    /** One chunk; the usage-only chunk keeps its empty choices. */
    public static ObjectNode chunk(JsonNode chunk, String requestId) {
        return map(chunk, requestId, "delta");
    }

    private static ObjectNode map(JsonNode chat, String requestId, String messageField) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", "cmpl-" + requestId);
        out.put("object", "text_completion");
        out.put("created", chat.path("created").asLong(0));
        out.put("model", chat.path("model").asText());
        ArrayNode choices = out.putArray("choices");
        for (JsonNode choice : chat.path("choices")) {
            ObjectNode mapped = choices.addObject();
            mapped.put("text", choice.path(messageField).path("content").asText(""));
            mapped.put("index", choice.path("index").asInt(0));
            mapped.putNull("logprobs");
            JsonNode finish = choice.get("finish_reason");
            if (finish == null || finish.isNull()) {
                mapped.putNull("finish_reason");
            } else {
                mapped.put("finish_reason", finish.asText().equals("tool_calls") ? "stop" : finish.asText());
            }
        }
        for (String field : new String[] {"usage", "tollgate"}) {
            if (chat.hasNonNull(field)) {
                out.set(field, chat.get(field));
            }
        }
        return out;
    }
}
