package dev.tollgate.upstream.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import java.io.IOException;
import dev.tollgate.upstream.ThinkingBudget;
import java.util.List;

/**
 * The internal (OpenAI chat) request as an Anthropic Messages request. Pure: no I/O.
 *
 * <p>System and developer messages become {@code system}; tool results become {@code tool_result} blocks of a user
 * turn; consecutive turns of one role are merged, because the Messages API wants user and assistant to alternate.
 * {@code max_tokens} is the clamped output bound the service already put in the body, so the hold covers whatever
 * Anthropic may generate, thinking included ({@code budget_tokens} must be below {@code max_tokens}).
 * {@code cache_control} on content parts, system parts and tools is passed through as it is.
 */
public final class ToAnthropicRequest {

    private static final ObjectMapper JSON = JsonBuffers.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Messages API fields an OpenAI-shaped body may carry as they are (a client that knows its upstream). */
    private static final List<String> NATIVE = List.of("top_k", "metadata", "thinking", "service_tier");

    private ToAnthropicRequest() {
    }

    public static ObjectNode map(ObjectNode chat) {
        ObjectNode out = NODES.objectNode();
        out.put("model", chat.path("model").asText());
        int maxTokens = chat.path("max_tokens").asInt(chat.path("max_completion_tokens").asInt(0));
        out.put("max_tokens", maxTokens);
        ArrayNode system = NODES.arrayNode();
        out.set("messages", messages(chat.path("messages"), system));
        if (!system.isEmpty()) {
            out.set("system", compactSystem(system));
        }
        copy(chat, out, "temperature", "temperature");
        copy(chat, out, "top_p", "top_p");
        JsonNode stop = chat.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            out.set("stop_sequences", stop.deepCopy());
        }
        if (chat.path("tools").isArray() && !chat.path("tools").isEmpty()) {
            out.set("tools", tools(chat.path("tools")));
            ObjectNode choice = toolChoice(chat.get("tool_choice"), chat.path("parallel_tool_calls"));
            if (choice != null) {
                out.set("tool_choice", choice);
            }
        }
        if (chat.path("user").isTextual()) {
            out.putObject("metadata").put("user_id", chat.path("user").asText());
        }
        for (String field : NATIVE) {
            copy(chat, out, field, field);
        }
        if (!out.has("thinking")) {
            ThinkingBudget.budget(chat.path("reasoning_effort").asText(null), maxTokens)
                    .ifPresent(budget -> out.putObject("thinking").put("type", "enabled").put("budget_tokens", budget));
        }
        if (out.has("thinking")) {
            // Extended thinking refuses a temperature other than 1 and any top_k.
            out.remove(List.of("temperature", "top_k"));
        }
        if (chat.path("stream").asBoolean(false)) {
            out.put("stream", true);
        }
        return out;
    }

    private static ArrayNode messages(JsonNode messages, ArrayNode system) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> system.addAll(blocks(message.get("content")));
                case "assistant" -> append(out, "assistant", assistant(message));
                case "tool" -> append(out, "user", List.of(toolResult(message)));
                default -> append(out, "user", blocks(message.get("content")));
            }
        }
        return out;
    }

    /** Adds blocks to the last turn when it has the same role, as a new turn otherwise. */
    private static void append(ArrayNode turns, String role, List<ObjectNode> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        ArrayNode content;
        if (last != null && role.equals(last.path("role").asText())) {
            content = (ArrayNode) last.get("content");
        } else {
            ObjectNode turn = turns.addObject().put("role", role);
            content = turn.putArray("content");
        }
        blocks.forEach(content::add);
    }

    private static List<ObjectNode> assistant(JsonNode message) {
        List<ObjectNode> blocks = new java.util.ArrayList<>(blocks(message.get("content")));
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = NODES.objectNode().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            use.set("input", arguments(call.path("function").path("arguments").asText("")));
            blocks.add(use);
        }
        return blocks;
    }

    private static ObjectNode toolResult(JsonNode message) {
        ObjectNode result = NODES.objectNode().put("type", "tool_result")
                .put("tool_use_id", message.path("tool_call_id").asText());
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            ArrayNode parts = result.putArray("content");
            blocks(content).forEach(parts::add);
        } else {
            result.put("content", content == null || content.isNull() ? "" : content.asText());
        }
        return result;
    }

    /** OpenAI content (a string or parts) as Anthropic content blocks. */
    static List<ObjectNode> blocks(JsonNode content) {
        List<ObjectNode> blocks = new java.util.ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(NODES.objectNode().put("type", "text").put("text", content.asText()));
            }
            return blocks;
        }
        for (JsonNode part : content) {
            ObjectNode block = switch (part.path("type").asText()) {
                case "text" -> NODES.objectNode().put("type", "text").put("text", part.path("text").asText());
                case "image_url" -> image(part.path("image_url").path("url").asText());
                case "file" -> document(part.path("file"));
                default -> null; // audio has no Messages equivalent; the catalog's media policy refuses it first
            };
            if (block != null) {
                if (part.has("cache_control")) {
                    block.set("cache_control", part.get("cache_control").deepCopy());
                }
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** A data URL becomes a base64 source; any other URL a url source, which Anthropic fetches itself. */
    private static ObjectNode image(String url) {
        ObjectNode block = NODES.objectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        int comma = url.indexOf(',');
        if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
            source.put("type", "base64").put("media_type", url.substring(5, comma - ";base64".length()))
                    .put("data", url.substring(comma + 1));
        } else {
            source.put("type", "url").put("url", url);
        }
        return block;
    }

    /** A file part (a PDF, as the inbound Messages translation makes of a {@code document} block) as a document block. */
    private static ObjectNode document(JsonNode file) {
        ObjectNode block = image(file.path("file_data").asText(""));
        block.put("type", "document");
        if (file.path("filename").isTextual()) {
            block.put("title", file.path("filename").asText());
        }
        return block;
    }

    /** Plain text parts without cache marks read best as one string; otherwise the blocks stay. */
    private static JsonNode compactSystem(ArrayNode system) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : system) {
            if (block.size() != 2 || !"text".equals(block.path("type").asText())) {
                return system;
            }
            text.append(text.isEmpty() ? "" : "\n\n").append(block.path("text").asText());
        }
        return NODES.textNode(text.toString());
    }

    private static ArrayNode tools(JsonNode tools) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode tool : tools) {
            JsonNode function = tool.path("function");
            ObjectNode mapped = out.addObject().put("name", function.path("name").asText());
            if (function.path("description").isTextual()) {
                mapped.put("description", function.path("description").asText());
            }
            JsonNode schema = function.get("parameters");
            mapped.set("input_schema", schema != null && schema.isObject() ? schema.deepCopy()
                    : NODES.objectNode().put("type", "object"));
            if (tool.has("cache_control")) {
                mapped.set("cache_control", tool.get("cache_control").deepCopy());
            }
        }
        return out;
    }

    private static ObjectNode toolChoice(JsonNode choice, JsonNode parallel) {
        ObjectNode out = null;
        if (choice == null || choice.isNull() || "auto".equals(choice.asText())) {
            out = parallel.isBoolean() ? NODES.objectNode().put("type", "auto") : null;
        } else if ("none".equals(choice.asText())) {
            return NODES.objectNode().put("type", "none");
        } else if ("required".equals(choice.asText())) {
            out = NODES.objectNode().put("type", "any");
        } else if (choice.path("function").path("name").isTextual()) {
            out = NODES.objectNode().put("type", "tool").put("name", choice.path("function").path("name").asText());
        }
        if (out != null && parallel.isBoolean() && !parallel.asBoolean()) {
            out.put("disable_parallel_tool_use", true);
        }
        return out;
    }

    /** Tool-call arguments are a JSON string in OpenAI's format and an object in Anthropic's. */
    private static JsonNode arguments(String arguments) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(arguments);
            return parsed != null && parsed.isObject() ? parsed : NODES.objectNode();
        } catch (IOException e) {
            return NODES.objectNode(); // a model's malformed arguments cannot be sent back any better
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String field, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }
}
