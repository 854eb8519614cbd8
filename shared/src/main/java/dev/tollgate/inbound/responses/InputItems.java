package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;

/**
 * Responses {@code input} → chat messages: a string is one user message; message items keep their role
 * ({@code developer} becomes {@code system}) with {@code input_text}, {@code input_image} and {@code input_file}
 * parts; consecutive {@code function_call} items become one assistant message's {@code tool_calls}; each
 * {@code function_call_output} becomes a {@code tool} message. Reasoning items are the model's own and are dropped.
 */
final class InputItems {

    private InputItems() {
    }

    static ArrayNode map(JsonNode input) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (input == null || input.isNull()) {
            throw ApiException.invalid("input", "Missing required parameter: 'input' (a string, or an array of items).");
        }
        if (input.isTextual()) {
            out.addObject().put("role", "user").put("content", input.asText());
            return out;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiException.invalid("input", "'input' must be a string or a non-empty array of items.");
        }
        ObjectNode calls = null;
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String at = "input[" + i + "]";
            if (!item.isObject()) {
                throw ApiException.invalid(at, "'" + at + "' must be an object such as {\"role\": \"user\", \"content\": \"Hi\"}.");
            }
            String type = item.path("type").asText("message");
            if (type.equals("function_call")) {
                if (calls == null) {
                    calls = out.addObject().put("role", "assistant").putNull("content");
                    calls.putArray("tool_calls");
                }
                ((ArrayNode) calls.get("tool_calls")).add(call(item, at));
                continue;
            }
            calls = null;
            switch (type) {
                case "message" -> out.add(message(item, at));
                case "function_call_output" -> out.addObject().put("role", "tool")
                        .put("tool_call_id", text(item, "call_id", at))
                        .put("content", item.path("output").isTextual() ? item.get("output").asText() : item.path("output").toString());
                case "reasoning" -> {
                    // the model's earlier reasoning: not sent back upstream
                }
                default -> throw ApiException.invalid(at + ".type", "Input items of type '" + type + "' are not supported; "
                        + "use message, function_call or function_call_output.");
            }
        }
        return out;
    }

    private static ObjectNode call(JsonNode item, String at) {
        ObjectNode call = JsonNodeFactory.instance.objectNode().put("id", text(item, "call_id", at)).put("type", "function");
        call.putObject("function").put("name", text(item, "name", at))
                .put("arguments", item.path("arguments").asText("{}"));
        return call;
    }

    private static ObjectNode message(JsonNode item, String at) {
        String role = item.path("role").asText("");
        switch (role) {
            case "user", "assistant", "system" -> { }
            case "developer" -> role = "system";
            default -> throw ApiException.invalid(at + ".role", "'" + at + ".role' must be user, assistant, system or developer.");
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode().put("role", role);
        JsonNode content = item.get("content");
        if (content != null && content.isTextual()) {
            return message.put("content", content.asText());
        }
        if (content == null || !content.isArray()) {
            throw ApiException.invalid(at + ".content", "'" + at + ".content' must be a string or an array of content parts.");
        }
        if (role.equals("assistant") || role.equals("system")) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                text.append(text(content.get(j), "text", at + ".content[" + j + "]"));
            }
            return message.put("content", text.toString());
        }
        ArrayNode parts = message.putArray("content");
        for (int j = 0; j < content.size(); j++) {
            parts.add(part(content.get(j), at + ".content[" + j + "]"));
        }
        return message;
    }

    private static ObjectNode part(JsonNode part, String at) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (part.path("type").asText("")) {
            case "input_text", "text" -> out.put("type", "text").put("text", text(part, "text", at));
            case "input_image" -> {
                JsonNode url = part.get("image_url");
                if (url == null || !url.isTextual()) {
                    throw ApiException.invalid(at + ".image_url", "'" + at + ".image_url' must be a URL or a data: URL "
                            + "(uploaded file ids are not supported).");
                }
                ObjectNode image = out.put("type", "image_url").putObject("image_url").put("url", url.asText());
                if (part.path("detail").isTextual()) {
                    image.put("detail", part.get("detail").asText());
                }
            }
            case "input_file" -> {
                JsonNode data = part.get("file_data");
                JsonNode url = part.get("file_url");
                ObjectNode file = out.put("type", "file").putObject("file");
                if (data != null && data.isTextual()) {
                    file.put("file_data", data.asText());
                } else if (url != null && url.isTextual()) {
                    file.put("file_url", url.asText());
                } else {
                    throw ApiException.invalid(at + ".file_data", "'" + at + ".file_data' must hold the file as a data: URL "
                            + "(e.g. data:application/pdf;base64,...); uploaded file ids are not supported.");
                }
                if (part.path("filename").isTextual()) {
                    file.put("filename", part.get("filename").asText());
                }
            }
            default -> throw ApiException.invalid(at + ".type", "'" + at + ".type' must be input_text, input_image or input_file.");
        }
        return out;
    }

    static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.invalid(at + "." + field, "'" + at + "." + field + "' must be a string.");
        }
        return value.asText();
    }
}
