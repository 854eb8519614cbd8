package dev.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;

/**
 * One Anthropic message → one or more chat messages. A user message's {@code tool_result} blocks become
 * {@code role: tool} messages placed before the rest of it (chat wants them right after the assistant's
 * {@code tool_calls}); an assistant's {@code tool_use} blocks become its {@code tool_calls}; its thinking blocks
 * are the model's own and are not sent back.
 */
final class MessageBlocks {

    private MessageBlocks() {
    }

    static void message(JsonNode message, String param, ArrayNode out) {
        if (!message.isObject()) {
            throw ApiException.invalid(param, "'" + param + "' must be an object with 'role' and 'content'.");
        }
        String role = message.path("role").asText("");
        if (!role.equals("user") && !role.equals("assistant")) {
            throw ApiException.invalid(param + ".role", "'" + param + ".role' must be \"user\" or \"assistant\" "
                    + "(the system prompt goes in the top-level 'system').");
        }
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            out.addObject().put("role", role).put("content", content.asText());
            return;
        }
        if (content == null || !content.isArray()) {
            throw ApiException.invalid(param + ".content", "'" + param + ".content' must be a string or an array "
                    + "of content blocks.");
        }
        if (role.equals("user")) {
            user(content, param + ".content", out);
        } else {
            assistant(content, param + ".content", out);
        }
    }

    private static void user(JsonNode blocks, String param, ArrayNode out) {
        ArrayNode parts = out.arrayNode();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = param + "[" + i + "]";
            switch (type(block, at)) {
                case "text" -> parts.addObject().put("type", "text").put("text", text(block, at));
                case "image" -> parts.add(image(block, at));
                case "document" -> parts.add(document(block, at));
                case "tool_result" -> out.add(toolResult(block, at));
                default -> throw unsupported(block, at);
            }
        }
        if (!parts.isEmpty()) {
            out.addObject().put("role", "user").set("content", parts);
        }
    }

    private static void assistant(JsonNode blocks, String param, ArrayNode out) {
        StringBuilder text = new StringBuilder();
        ArrayNode calls = out.arrayNode();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = param + "[" + i + "]";
            switch (type(block, at)) {
                case "text" -> text.append(text(block, at));
                case "tool_use" -> calls.add(toolUse(block, at));
                case "thinking", "redacted_thinking" -> {
                    // The model's earlier reasoning: an OpenAI-compatible upstream takes no reasoning input.
                }
                default -> throw unsupported(block, at);
            }
        }
        ObjectNode message = out.addObject().put("role", "assistant");
        if (!text.isEmpty() || calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
    }

    private static ObjectNode toolUse(JsonNode block, String at) {
        String id = requireText(block, "id", at);
        String name = requireText(block, "name", at);
        JsonNode input = block.get("input");
        if (input == null || !input.isObject()) {
            throw ApiException.invalid(at + ".input", "'" + at + ".input' must be an object.");
        }
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", input.toString());
        return call;
    }

    private static ObjectNode toolResult(JsonNode block, String at) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("role", "tool").put("tool_call_id", requireText(block, "tool_use_id", at));
        JsonNode content = block.get("content");
        StringBuilder text = new StringBuilder();
        if (content == null || content.isNull()) {
            // An empty result is allowed.
        } else if (content.isTextual()) {
            text.append(content.asText());
        } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                String partAt = at + ".content[" + i + "]";
                if (!"text".equals(type(part, partAt))) {
                    throw ApiException.invalid(partAt, "'" + partAt + "': a tool result may hold text blocks only "
                            + "here; send images in a user text turn instead.");
                }
                text.append(text(part, partAt));
            }
        } else {
            throw ApiException.invalid(at + ".content", "'" + at + ".content' must be a string or an array of text blocks.");
        }
        message.put("content", block.path("is_error").asBoolean(false) ? "Error: " + text : text.toString());
        return message;
    }

    /** {@code source: {type: base64, media_type, data}} → a data URL; {@code {type: url, url}} → the link. */
    private static ObjectNode image(JsonNode block, String at) {
        ObjectNode part = JsonNodeFactory.instance.objectNode().put("type", "image_url");
        part.putObject("image_url").put("url", sourceUrl(block, at));
        return part;
    }

    private static ObjectNode document(JsonNode block, String at) {
        ObjectNode part = JsonNodeFactory.instance.objectNode().put("type", "file");
        ObjectNode file = part.putObject("file");
        file.put("file_data", sourceUrl(block, at));
        if (block.path("title").isTextual()) {
            file.put("filename", block.get("title").asText());
        }
        return part;
    }

    private static String sourceUrl(JsonNode block, String at) {
        JsonNode source = block.path("source");
        switch (source.path("type").asText("")) {
            case "base64" -> {
                String mediaType = requireText(source, "media_type", at + ".source");
                String data = requireText(source, "data", at + ".source");
                return "data:" + mediaType + ";base64," + data;
            }
            case "url" -> {
                return requireText(source, "url", at + ".source");
            }
            default -> throw ApiException.invalid(at + ".source", "'" + at + ".source.type' must be \"base64\" "
                    + "or \"url\".");
        }
    }

    private static String type(JsonNode block, String at) {
        if (!block.isObject() || !block.path("type").isTextual()) {
            throw ApiException.invalid(at, "'" + at + "' must be a content block with a 'type', e.g. "
                    + "{\"type\": \"text\", \"text\": \"Hello\"}.");
        }
        return block.get("type").asText();
    }

    private static String text(JsonNode block, String at) {
        JsonNode text = block.get("text");
        if (text == null || !text.isTextual()) {
            throw ApiException.invalid(at + ".text", "'" + at + ".text' must be a string.");
        }
        return text.asText();
    }

    private static String requireText(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw ApiException.invalid(at + "." + field, "'" + at + "." + field + "' must be a non-empty string.");
        }
        return value.asText();
    }

    private static ApiException unsupported(JsonNode block, String at) {
        return ApiException.invalid(at + ".type", "Content blocks of type '" + block.path("type").asText()
                + "' are not supported here; use text, image, document, tool_use or tool_result.");
    }
}
