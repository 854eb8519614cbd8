package dev.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.inbound.Reasoning;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.openai.SpendControls;

/**
 * An Anthropic Messages request → the internal (OpenAI chat) request. Fields Anthropic has and chat lacks are
 * mapped (system, content blocks, tools, tool_choice, stop_sequences, thinking, metadata.user_id); Anthropic-only
 * fields with no chat meaning (service_tier, container, mcp_servers, ...) are ignored, since the upstream does not
 * speak Anthropic. Every refusal is a 400 naming the Anthropic field.
 */
public final class FromMessagesRequest {

    static final String EXAMPLE = "{\"model\": \"qwen3:latest\", \"max_tokens\": 256, "
            + "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

    private FromMessagesRequest() {
    }

    /**
     * @param countOnly a count_tokens request: {@code max_tokens} is not required and nothing streams
     */
    public static ObjectNode map(byte[] bytes, ObjectMapper json, boolean countOnly) {
        ObjectNode in = JsonBodies.object(bytes, json, EXAMPLE);
        ObjectNode out = json.createObjectNode();
        out.put("model", JsonBodies.requireString(in, "model"));
        ArrayNode messages = out.putArray("messages");
        system(in.get("system"), messages);
        JsonNode list = in.get("messages");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array like "
                    + "[{\"role\": \"user\", \"content\": \"Hello\"}].");
        }
        for (int i = 0; i < list.size(); i++) {
            MessageBlocks.message(list.get(i), "messages[" + i + "]", messages);
        }
        JsonBodies.optionalPositiveInt(in, "max_tokens");
        if (!countOnly) {
            JsonNode max = in.get("max_tokens");
            if (max == null || max.isNull()) {
                throw ApiException.invalid("max_tokens", "Missing required parameter: 'max_tokens' (the most tokens "
                        + "to generate, e.g. 1024). The Messages API requires it.");
            }
            out.put("max_tokens", max.asInt());
        }
        Tools.map(in, out);
        copyNumber(in, out, "temperature", "temperature");
        copyNumber(in, out, "top_p", "top_p");
        copyNumber(in, out, "top_k", "top_k");
        stopSequences(in.get("stop_sequences"), out);
        thinking(in.get("thinking"), out);
        JsonNode user = in.path("metadata").get("user_id");
        if (user != null && user.isTextual()) {
            out.put("user", user.asText());
        }
        SpendControls.carry(in, out);
        JsonBodies.optionalBoolean(in, "stream");
        if (!countOnly && in.path("stream").asBoolean(false)) {
            out.put("stream", true);
            // The usage arrives in its own chunk after the finish: message_delta carries it.
            out.putObject("stream_options").put("include_usage", true);
        }
        return out;
    }

    private static void system(JsonNode system, ArrayNode messages) {
        if (system == null || system.isNull()) {
            return;
        }
        if (system.isTextual()) {
            messages.addObject().put("role", "system").put("content", system.asText());
            return;
        }
        if (!system.isArray()) {
            throw ApiException.invalid("system", "'system' must be a string or an array of text blocks.");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                throw ApiException.invalid("system[" + i + "]", "'system[" + i + "]' must be a text block: "
                        + "{\"type\": \"text\", \"text\": \"...\"}.");
            }
            text.append(text.isEmpty() ? "" : "\n\n").append(block.get("text").asText());
        }
        messages.addObject().put("role", "system").put("content", text.toString());
    }

    private static void stopSequences(JsonNode stops, ObjectNode out) {
        if (stops == null || stops.isNull()) {
            return;
        }
        if (!stops.isArray()) {
            throw ApiException.invalid("stop_sequences", "'stop_sequences' must be an array of strings.");
        }
        for (JsonNode stop : stops) {
            if (!stop.isTextual()) {
                throw ApiException.invalid("stop_sequences", "'stop_sequences' must be an array of strings.");
            }
        }
        if (!stops.isEmpty()) {
            out.set("stop", stops.deepCopy());
        }
    }

    /** {@code thinking: {type: enabled, budget_tokens}} → the internal reasoning options. */
    private static void thinking(JsonNode thinking, ObjectNode out) {
        if (thinking == null || thinking.isNull()) {
            return;
        }
        String type = thinking.path("type").asText("");
        switch (type) {
            case "enabled" -> {
                JsonNode budget = thinking.get("budget_tokens");
                if (budget == null || !budget.canConvertToInt() || !budget.isIntegralNumber() || budget.asInt() < 1) {
                    throw ApiException.invalid("thinking.budget_tokens", "'thinking.budget_tokens' must be a positive "
                            + "integer when thinking is enabled, e.g. 2048.");
                }
                Reasoning.fromBudget(budget.asInt(), out);
            }
            case "disabled" -> {
                // The model's default: nothing to ask for.
            }
            default -> throw ApiException.invalid("thinking.type", "'thinking.type' must be \"enabled\" or \"disabled\".");
        }
    }

    private static void copyNumber(JsonNode in, ObjectNode out, String from, String to) {
        JsonNode value = in.get(from);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw ApiException.invalid(from, "'" + from + "' must be a number.");
        }
        out.set(to, value);
    }
}
