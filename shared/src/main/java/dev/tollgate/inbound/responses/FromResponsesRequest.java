package dev.tollgate.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.inbound.Reasoning;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.openai.SpendControls;

/**
 * A Responses request → the internal chat request: {@code instructions} as the system message, {@code input}
 * items as messages ({@link InputItems}), function {@code tools} and {@code tool_choice}, {@code text.format} as
 * {@code response_format}, {@code reasoning.effort} as {@code reasoning_effort}, {@code max_output_tokens} as the
 * output bound. Built-in tools (web search, file search, ...) and uploaded file ids are refused with a 400.
 */
public final class FromResponsesRequest {

    static final String EXAMPLE = "{\"model\": \"qwen3:latest\", \"input\": \"Hello\"}";

    private FromResponsesRequest() {
    }

    public static ResponsesRequest map(byte[] bytes, ObjectMapper json) {
        ObjectNode in = JsonBodies.object(bytes, json, EXAMPLE);
        ObjectNode out = json.createObjectNode();
        out.put("model", JsonBodies.requireString(in, "model"));
        ArrayNode input = InputItems.map(in.get("input"));
        JsonNode instructions = in.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
            throw ApiException.invalid("instructions", "'instructions' must be a string.");
        }
        JsonBodies.optionalPositiveInt(in, "max_output_tokens");
        if (in.hasNonNull("max_output_tokens")) {
            out.put("max_tokens", in.get("max_output_tokens").asInt());
        }
        tools(in, out);
        textFormat(in.get("text"), out);
        JsonNode reasoning = in.get("reasoning");
        if (reasoning != null && reasoning.hasNonNull("effort")) {
            Reasoning.fromEffort(reasoning.get("effort").asText(""), "reasoning.effort", out);
        }
        for (String field : new String[] {"temperature", "top_p"}) {
            if (in.hasNonNull(field)) {
                if (!in.get(field).isNumber()) {
                    throw ApiException.invalid(field, "'" + field + "' must be a number.");
                }
                out.set(field, in.get(field));
            }
        }
        JsonBodies.optionalBoolean(in, "parallel_tool_calls");
        if (in.hasNonNull("parallel_tool_calls")) {
            out.set("parallel_tool_calls", in.get("parallel_tool_calls"));
        }
        if (in.path("user").isTextual()) {
            out.put("user", in.get("user").asText());
        }
        SpendControls.carry(in, out);
        JsonBodies.optionalBoolean(in, "stream");
        JsonBodies.optionalBoolean(in, "store");
        if (in.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        JsonNode previous = in.get("previous_response_id");
        if (previous != null && !previous.isNull() && (!previous.isTextual() || previous.asText().isBlank())) {
            throw ApiException.invalid("previous_response_id", "'previous_response_id' must be the id of a stored response.");
        }
        return new ResponsesRequest(out, instructions == null || instructions.isNull() ? null : instructions.asText(),
                input, in.path("store").asBoolean(true), previous == null || previous.isNull() ? null : previous.asText(),
                echo(in));
    }

    private static void tools(JsonNode in, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw ApiException.invalid("tools", "'tools' must be an array of function tools.");
            }
            ArrayNode mapped = out.putArray("tools");
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                String at = "tools[" + i + "]";
                if (!"function".equals(tool.path("type").asText())) {
                    throw ApiException.invalid(at + ".type", "Only function tools are available through Tollgate; '"
                            + tool.path("type").asText() + "' is a built-in tool of OpenAI's own service.");
                }
                ObjectNode function = mapped.addObject().put("type", "function").putObject("function");
                function.put("name", InputItems.text(tool, "name", at));
                for (String field : new String[] {"description", "parameters", "strict"}) {
                    if (tool.hasNonNull(field)) {
                        function.set(field, tool.get(field).deepCopy());
                    }
                }
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual()) {
            out.put("tool_choice", choice.asText());
        } else if ("function".equals(choice.path("type").asText()) && choice.path("name").isTextual()) {
            out.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.get("name").asText());
        } else {
            throw ApiException.invalid("tool_choice", "'tool_choice' must be auto, none, required or "
                    + "{\"type\": \"function\", \"name\": \"...\"}.");
        }
    }

    /** {@code text.format} → {@code response_format}: json_schema keeps its name, schema and strictness. */
    private static void textFormat(JsonNode text, ObjectNode out) {
        JsonNode format = text == null ? null : text.get("format");
        if (format == null || format.isNull()) {
            return;
        }
        switch (format.path("type").asText("")) {
            case "text" -> { }
            case "json_object" -> out.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                schema.put("name", InputItems.text(format, "name", "text.format"));
                if (!format.path("schema").isObject()) {
                    throw ApiException.invalid("text.format.schema", "'text.format.schema' must be a JSON Schema object.");
                }
                schema.set("schema", format.get("schema").deepCopy());
                for (String field : new String[] {"strict", "description"}) {
                    if (format.hasNonNull(field)) {
                        schema.set(field, format.get(field).deepCopy());
                    }
                }
            }
            default -> throw ApiException.invalid("text.format.type", "'text.format.type' must be text, json_object or json_schema.");
        }
    }

    /** What the response object repeats of the request, with OpenAI's defaults. */
    private static ObjectNode echo(ObjectNode in) {
        ObjectNode echo = in.objectNode();
        echo.set("instructions", in.path("instructions").isTextual() ? in.get("instructions") : echo.nullNode());
        echo.set("max_output_tokens", in.hasNonNull("max_output_tokens") ? in.get("max_output_tokens") : echo.nullNode());
        echo.set("metadata", in.path("metadata").isObject() ? in.get("metadata") : echo.objectNode());
        echo.put("parallel_tool_calls", in.path("parallel_tool_calls").asBoolean(true));
        echo.set("previous_response_id", in.path("previous_response_id").isTextual() ? in.get("previous_response_id") : echo.nullNode());
        echo.set("reasoning", in.path("reasoning").isObject() ? in.get("reasoning") : echo.objectNode().putNull("effort"));
        echo.put("store", in.path("store").asBoolean(true));
        echo.set("temperature", in.path("temperature").isNumber() ? in.get("temperature") : echo.numberNode(1.0));
        echo.set("text", in.path("text").isObject() ? in.get("text") : echo.objectNode().set("format", echo.objectNode().put("type", "text")));
        echo.set("tool_choice", in.hasNonNull("tool_choice") ? in.get("tool_choice") : echo.textNode("auto"));
        echo.set("tools", in.path("tools").isArray() ? in.get("tools") : echo.arrayNode());
        echo.set("top_p", in.path("top_p").isNumber() ? in.get("top_p") : echo.numberNode(1.0));
        echo.put("truncation", "disabled");
        echo.set("user", in.path("user").isTextual() ? in.get("user") : echo.nullNode());
        return echo;
    }
}
