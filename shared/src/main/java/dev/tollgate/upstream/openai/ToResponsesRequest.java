package dev.tollgate.upstream.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The internal (OpenAI chat) request as an OpenAI Responses request, for upstreams configured with
 * {@code api: responses}. Pure: no I/O.
 *
 * <p>The clamped output bound becomes {@code max_output_tokens}; {@code store} is always false, since Tollgate keeps
 * conversations itself. Fields Responses has no equivalent for ({@code stop}, {@code n}, penalties, {@code seed},
 * {@code logprobs}) are dropped; every other field the chat request carries passes through, as on chat.
 */
public final class ToResponsesRequest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Chat fields translated below, or with no Responses equivalent. */
    private static final Set<String> CHAT_ONLY = Set.of("messages", "max_tokens", "max_completion_tokens", "stream_options",
            "response_format", "reasoning_effort", "tools", "tool_choice", "stop", "n", "presence_penalty",
            "frequency_penalty", "seed", "logprobs", "top_logprobs", "logit_bias", "store");

    private ToResponsesRequest() {
    }

    public static ObjectNode map(ObjectNode chat) {
        ObjectNode out = NODES.objectNode();
        out.put("model", chat.path("model").asText());
        out.set("input", input(chat.path("messages")));
        JsonNode bound = chat.has("max_completion_tokens") ? chat.get("max_completion_tokens") : chat.get("max_tokens");
        if (bound != null && bound.canConvertToLong()) {
            out.put("max_output_tokens", bound.asLong());
        }
        out.put("store", false);
        if (chat.path("tools").isArray()) {
            ArrayNode tools = out.putArray("tools");
            for (JsonNode tool : chat.get("tools")) {
                JsonNode function = tool.path("function");
                ObjectNode mapped = tools.addObject().put("type", "function").put("name", function.path("name").asText());
                copy(function, mapped, "description", "parameters", "strict");
            }
        }
        JsonNode choice = chat.get("tool_choice");
        if (choice != null) {
            out.set("tool_choice", choice.isObject()
                    ? NODES.objectNode().put("type", "function").put("name", choice.path("function").path("name").asText())
                    : choice);
        }
        JsonNode format = chat.path("response_format");
        if (format.isObject()) {
            ObjectNode textFormat = out.putObject("text").putObject("format");
            textFormat.put("type", format.path("type").asText());
            if (format.path("json_schema").isObject()) {
                textFormat.setAll((ObjectNode) format.get("json_schema")); // name, schema, strict, description
            }
        }
        if (chat.path("reasoning_effort").isTextual()) {
            out.putObject("reasoning").put("effort", chat.get("reasoning_effort").asText());
        }
        chat.properties().forEach(field -> {
            if (!CHAT_ONLY.contains(field.getKey()) && !out.has(field.getKey())) {
                out.set(field.getKey(), field.getValue()); // temperature, top_p, user, metadata, stream, provider extras
            }
        });
        return out;
    }

    private static ArrayNode input(JsonNode messages) {
        ArrayNode items = NODES.arrayNode();
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            switch (role) {
                case "tool" -> items.addObject().put("type", "function_call_output")
                        .put("call_id", message.path("tool_call_id").asText()).put("output", text(message.path("content")));
                case "assistant" -> {
                    if (!text(message.path("content")).isEmpty()) {
                        ObjectNode item = items.addObject().put("type", "message").put("role", "assistant");
                        item.putArray("content").addObject().put("type", "output_text")
                                .put("text", text(message.path("content")));
                    }
                    for (JsonNode call : message.path("tool_calls")) {
                        items.addObject().put("type", "function_call").put("call_id", call.path("id").asText())
                                .put("name", call.path("function").path("name").asText())
                                .put("arguments", call.path("function").path("arguments").asText());
                    }
                }
                default -> {
                    ObjectNode item = items.addObject().put("type", "message").put("role", role); // user, system, developer
                    item.set("content", content(message.path("content")));
                }
            }
        }
        return items;
    }

    /** A user, system or developer message's content: a string stays one, parts become input parts. */
    private static JsonNode content(JsonNode content) {
        if (!content.isArray()) {
            return NODES.textNode(content.asText(""));
        }
        ArrayNode parts = NODES.arrayNode();
        for (JsonNode part : content) {
            switch (part.path("type").asText()) {
                case "text" -> parts.addObject().put("type", "input_text").put("text", part.path("text").asText());
                case "image_url" -> {
                    ObjectNode image = parts.addObject().put("type", "input_image")
                            .put("image_url", part.path("image_url").path("url").asText());
                    image.put("detail", part.path("image_url").path("detail").asText("auto"));
                }
                case "file" -> {
                    ObjectNode file = parts.addObject().put("type", "input_file");
                    copy(part.path("file"), file, "file_data", "file_id", "filename");
                }
                default -> parts.add(part); // a part Responses may know by the same shape (input_audio)
            }
        }
        return parts;
    }

    private static String text(JsonNode content) {
        if (!content.isArray()) {
            return content.isNull() || content.isMissingNode() ? "" : content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText("")));
        return text.toString();
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            if (from.has(field) && !from.get(field).isNull()) {
                to.set(field, from.get(field));
            }
        }
    }
}
