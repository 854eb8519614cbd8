package dev.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;

/** Anthropic's client {@code tools} and {@code tool_choice} → chat's function tools and tool_choice. */
final class Tools {

    private Tools() {
    }

    static void map(JsonNode in, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw ApiException.invalid("tools", "'tools' must be an array of tool definitions.");
            }
            ArrayNode mapped = out.putArray("tools");
            for (int i = 0; i < tools.size(); i++) {
                mapped.add(tool(tools.get(i), "tools[" + i + "]"));
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            choice(choice, out);
        }
    }

    private static ObjectNode tool(JsonNode tool, String at) {
        String type = tool.path("type").asText("custom");
        if (!type.equals("custom")) {
            throw ApiException.invalid(at + ".type", "Server tools ('" + type + "') are not available through "
                    + "Tollgate; define client tools with 'name', 'description' and 'input_schema'.");
        }
        JsonNode name = tool.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            throw ApiException.invalid(at + ".name", "'" + at + ".name' must be a non-empty string.");
        }
        JsonNode schema = tool.get("input_schema");
        if (schema == null || !schema.isObject()) {
            throw ApiException.invalid(at + ".input_schema", "'" + at + ".input_schema' must be a JSON Schema object, "
                    + "e.g. {\"type\": \"object\", \"properties\": {}}.");
        }
        ObjectNode mapped = JsonNodeFactory.instance.objectNode().put("type", "function");
        ObjectNode function = mapped.putObject("function").put("name", name.asText());
        if (tool.path("description").isTextual()) {
            function.put("description", tool.get("description").asText());
        }
        function.set("parameters", schema.deepCopy());
        return mapped;
    }

    private static void choice(JsonNode choice, ObjectNode out) {
        switch (choice.path("type").asText("")) {
            case "auto" -> out.put("tool_choice", "auto");
            case "any" -> out.put("tool_choice", "required");
            case "none" -> out.put("tool_choice", "none");
            case "tool" -> {
                JsonNode name = choice.get("name");
                if (name == null || !name.isTextual()) {
                    throw ApiException.invalid("tool_choice.name", "'tool_choice.name' must name one of the tools.");
                }
                out.putObject("tool_choice").put("type", "function").putObject("function").put("name", name.asText());
            }
            default -> throw ApiException.invalid("tool_choice.type", "'tool_choice.type' must be auto, any, tool or none.");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            out.put("parallel_tool_calls", false);
        }
    }
}
