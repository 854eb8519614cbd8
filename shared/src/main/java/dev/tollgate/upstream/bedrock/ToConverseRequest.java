package dev.tollgate.upstream.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.JsonBuffers;
import dev.tollgate.upstream.ThinkingBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The internal (OpenAI chat) request as a Bedrock Converse request body (the model id goes in the path). Pure.
 *
 * <p>System messages become {@code system}, tool results {@code toolResult} blocks of a user turn, turns of one
 * role are merged (Converse wants user and assistant to alternate). {@code cache_control} on a part becomes a
 * {@code cachePoint} after its block, Bedrock's prompt-caching marker. {@code maxTokens} is the clamped bound.
 * Images must be data URLs: Bedrock does not fetch URLs, so any other image is refused as the caller's mistake.
 */
public final class ToConverseRequest {

    private static final ObjectMapper JSON = JsonBuffers.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ToConverseRequest() {
    }

    /** A request Bedrock would refuse whatever it was sent to. */
    public static final class Unsupported extends Exception {
        public Unsupported(String message) {
            super(message);
        }
    }

    public static ObjectNode map(ObjectNode chat) throws Unsupported {
        ObjectNode out = NODES.objectNode();
        ArrayNode system = NODES.arrayNode();
        out.set("messages", messages(chat.path("messages"), system));
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        int maxTokens = chat.path("max_tokens").asInt(chat.path("max_completion_tokens").asInt(0));
        ObjectNode inference = out.putObject("inferenceConfig").put("maxTokens", maxTokens);
        if (chat.path("temperature").isNumber()) {
            inference.set("temperature", chat.get("temperature"));
        }
        if (chat.path("top_p").isNumber()) {
            inference.set("topP", chat.get("top_p"));
        }
        JsonNode stop = chat.get("stop");
        if (stop != null && stop.isTextual()) {
            inference.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            inference.set("stopSequences", stop.deepCopy());
        }
        if (chat.path("tools").isArray() && !chat.path("tools").isEmpty()) {
            out.set("toolConfig", toolConfig(chat.path("tools"), chat.get("tool_choice")));
        }
        if (isClaude(chat.path("model").asText())) {
            ThinkingBudget.budget(chat.path("reasoning_effort").asText(null), maxTokens).ifPresent(budget -> {
                out.putObject("additionalModelRequestFields").putObject("thinking")
                        .put("type", "enabled").put("budget_tokens", budget);
                inference.remove("temperature"); // thinking refuses any temperature but 1
            });
        }
        return out;
    }

    /** Claude on Bedrock ({@code anthropic.claude-...}, or an inference profile such as {@code us.anthropic.claude-...}). */
    static boolean isClaude(String modelId) {
        return modelId.contains("anthropic.claude");
    }

    private static ArrayNode messages(JsonNode messages, ArrayNode system) throws Unsupported {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode message : messages) {
            switch (message.path("role").asText()) {
                case "system", "developer" -> blocks(message.get("content")).forEach(system::add);
                case "assistant" -> append(out, "assistant", assistant(message));
                case "tool" -> append(out, "user", List.of(toolResult(message)));
                default -> append(out, "user", blocks(message.get("content")));
            }
        }
        return out;
    }

    private static void append(ArrayNode turns, String role, List<ObjectNode> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        ArrayNode content = last != null && role.equals(last.path("role").asText())
                ? (ArrayNode) last.get("content")
                : turns.addObject().put("role", role).putArray("content");
        blocks.forEach(content::add);
    }

    private static List<ObjectNode> assistant(JsonNode message) throws Unsupported {
        List<ObjectNode> blocks = new ArrayList<>(blocks(message.get("content")));
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = NODES.objectNode();
            use.putObject("toolUse").put("toolUseId", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText())
                    .set("input", arguments(call.path("function").path("arguments").asText("")));
            blocks.add(use);
        }
        return blocks;
    }

    private static ObjectNode toolResult(JsonNode message) throws Unsupported {
        ObjectNode block = NODES.objectNode();
        ObjectNode result = block.putObject("toolResult").put("toolUseId", message.path("tool_call_id").asText());
        ArrayNode content = result.putArray("content");
        JsonNode value = message.get("content");
        if (value != null && value.isArray()) {
            blocks(value).forEach(content::add);
        } else {
            content.addObject().put("text", value == null || value.isNull() ? "" : value.asText());
        }
        return block;
    }

    static List<ObjectNode> blocks(JsonNode content) throws Unsupported {
        List<ObjectNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(NODES.objectNode().put("text", content.asText()));
            }
            return blocks;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asText()) {
                case "text" -> blocks.add(NODES.objectNode().put("text", part.path("text").asText()));
                case "image_url" -> blocks.add(image(part.path("image_url").path("url").asText()));
                default -> throw new Unsupported("Bedrock accepts text and image parts; '" + part.path("type").asText()
                        + "' cannot be sent to this model.");
            }
            if (part.has("cache_control")) {
                blocks.add(cachePoint());
            }
        }
        return blocks;
    }

    static ObjectNode cachePoint() {
        ObjectNode point = NODES.objectNode();
        point.putObject("cachePoint").put("type", "default");
        return point;
    }

    private static ObjectNode image(String url) throws Unsupported {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:image/") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw new Unsupported("Bedrock models take images as base64 data URLs (data:image/png;base64,...), not links.");
        }
        String format = url.substring("data:image/".length(), comma - ";base64".length()).toLowerCase(Locale.ROOT);
        ObjectNode block = NODES.objectNode();
        block.putObject("image").put("format", format.equals("jpg") ? "jpeg" : format)
                .putObject("source").put("bytes", url.substring(comma + 1));
        return block;
    }

    private static ObjectNode toolConfig(JsonNode tools, JsonNode choice) {
        ObjectNode config = NODES.objectNode();
        ArrayNode specs = config.putArray("tools");
        for (JsonNode tool : tools) {
            JsonNode function = tool.path("function");
            ObjectNode spec = specs.addObject().putObject("toolSpec").put("name", function.path("name").asText());
            if (function.path("description").isTextual()) {
                spec.put("description", function.path("description").asText());
            }
            JsonNode schema = function.get("parameters");
            spec.putObject("inputSchema").set("json", schema != null && schema.isObject() ? schema.deepCopy()
                    : NODES.objectNode().put("type", "object"));
            if (tool.has("cache_control")) {
                specs.add(cachePoint());
            }
        }
        if (choice != null && "required".equals(choice.asText())) {
            config.putObject("toolChoice").putObject("any");
        } else if (choice != null && choice.path("function").path("name").isTextual()) {
            config.putObject("toolChoice").putObject("tool").put("name", choice.path("function").path("name").asText());
        }
        // "none" has no Converse equivalent; "auto" is the default.
        return config;
    }

    private static JsonNode arguments(String arguments) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode parsed = JSON.readTree(arguments);
            return parsed != null && parsed.isObject() ? parsed : NODES.objectNode();
        } catch (IOException e) {
            return NODES.objectNode();
        }
    }
}
