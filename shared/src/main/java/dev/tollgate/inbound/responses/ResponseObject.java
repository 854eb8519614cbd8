package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The parts of a Responses {@code response} object that the buffered answer and the stream's events share. */
public final class ResponseObject {

    private ResponseObject() {
    }

    public static String responseId(String requestId) {
        return "resp_" + requestId;
    }

    static String messageId(String requestId) {
        return "msg_" + requestId;
    }

    static String reasoningId(String requestId) {
        return "rs_" + requestId;
    }

    /** A response with no output yet, in {@code status}, echoing the request's fields. */
    static ObjectNode base(String requestId, long createdAt, String model, ObjectNode echo, String status) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("id", responseId(requestId));
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        response.putNull("error");
        response.putNull("incomplete_details");
        response.put("model", model);
        response.putArray("output");
        response.setAll(echo);
        response.putNull("usage");
        return response;
    }

    /** Sets the final status from chat's finish_reason: {@code length} is incomplete at max_output_tokens. */
    static void finish(ObjectNode response, String finishReason) {
        if ("length".equals(finishReason)) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else if ("content_filter".equals(finishReason)) {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", "content_filter");
        } else {
            response.put("status", "completed");
        }
    }

    /** OpenAI chat usage (with Tollgate's {@code cost}) → Responses usage; both count cached tokens inside input. */
    static ObjectNode usage(JsonNode chat) {
        ObjectNode usage = JsonNodeFactory.instance.objectNode();
        usage.put("input_tokens", chat.path("prompt_tokens").asLong(0));
        usage.putObject("input_tokens_details").put("cached_tokens",
                chat.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        usage.put("output_tokens", chat.path("completion_tokens").asLong(0));
        usage.putObject("output_tokens_details").put("reasoning_tokens",
                chat.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
        usage.put("total_tokens", chat.path("total_tokens").asLong(
                chat.path("prompt_tokens").asLong(0) + chat.path("completion_tokens").asLong(0)));
        if (chat.has("cost")) {
            usage.set("cost", chat.get("cost"));
        }
        return usage;
    }

    static ObjectNode reasoningItem(String requestId, String text) {
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("id", reasoningId(requestId)).put("type", "reasoning");
        ArrayNode summary = item.putArray("summary");
        if (text != null) {
            summary.addObject().put("type", "summary_text").put("text", text);
        }
        return item;
    }

    static ObjectNode messageItem(String requestId, String status, String text) {
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("id", messageId(requestId)).put("type", "message")
                .put("status", status).put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(textPart(text));
        }
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = JsonNodeFactory.instance.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    static ObjectNode functionCallItem(String callId, String name, String arguments, String status) {
        return JsonNodeFactory.instance.objectNode().put("id", "fc_" + callId).put("type", "function_call")
                .put("status", status).put("arguments", arguments).put("call_id", callId).put("name", name);
    }

    /** The answer of a finished response as chat messages, for the stored conversation. */
    public static ArrayNode asChatMessages(JsonNode response) {
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        StringBuilder text = new StringBuilder();
        ArrayNode calls = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> item.path("content").forEach(part -> text.append(part.path("text").asText("")));
                case "function_call" -> {
                    ObjectNode call = calls.addObject().put("id", item.path("call_id").asText()).put("type", "function");
                    call.putObject("function").put("name", item.path("name").asText())
                            .put("arguments", item.path("arguments").asText());
                }
                default -> { }
            }
        }
        ObjectNode message = messages.addObject().put("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        return messages;
    }
}
