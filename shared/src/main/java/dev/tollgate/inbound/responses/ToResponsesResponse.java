package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A settled chat completion → a Responses {@code response}: a reasoning item when the model reasoned, a message
 * item with the text, one function_call item per tool call; usage with cached and reasoning tokens and
 * Tollgate's {@code cost}; Tollgate's billing summary as {@code tollgate}.
 */
public final class ToResponsesResponse {

    private ToResponsesResponse() {
    }

    public static ObjectNode map(JsonNode completion, String requestId, long createdAt, ObjectNode echo) {
        ObjectNode response = ResponseObject.base(requestId, createdAt, completion.path("model").asText(), echo, "completed");
        ArrayNode output = (ArrayNode) response.get("output");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String reasoning = message.path("reasoning_content").asText(message.path("reasoning").asText(""));
        if (!reasoning.isEmpty()) {
            output.add(ResponseObject.reasoningItem(requestId, reasoning));
        }
        String text = message.path("content").asText("");
        if (!text.isEmpty() || !message.path("tool_calls").isArray()) {
            output.add(ResponseObject.messageItem(requestId, "completed", text));
        }
        for (JsonNode call : message.path("tool_calls")) {
            output.add(ResponseObject.functionCallItem(call.path("id").asText(),
                    call.path("function").path("name").asText(), call.path("function").path("arguments").asText(""),
                    "completed"));
        }
        ResponseObject.finish(response, choice.path("finish_reason").asText("stop"));
        response.set("usage", ResponseObject.usage(completion.path("usage")));
        if (completion.has("tollgate")) {
            response.set("tollgate", completion.get("tollgate"));
        }
        return response;
    }
}
