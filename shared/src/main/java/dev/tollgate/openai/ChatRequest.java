package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;

/**
 * A chat completion request as the caller sent it. The whole JSON body is kept, so fields Tollgate
 * does not model (tools, response_format, reasoning options, provider extras) reach the upstream
 * untouched. Only the fields Tollgate acts on are validated, each with a message naming the field.
 */
public final class ChatRequest {

    private final ObjectNode body;

    private ChatRequest(ObjectNode body) {
        this.body = body;
    }

    public static ChatRequest parse(byte[] bytes, ObjectMapper json) {
        ObjectNode body = JsonBodies.object(bytes, json,
                "{\"model\": \"qwen3:latest\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}");
        JsonBodies.requireString(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw ApiException.invalid("messages", "Missing required parameter: 'messages'. "
                    + "Send a non-empty array like [{\"role\": \"user\", \"content\": \"Hello\"}].");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array of message objects.");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw ApiException.invalid("messages[" + i + "]", "'messages[" + i + "]' must be an object with a 'role'.");
            }
            if (!message.path("role").isTextual()) {
                throw ApiException.invalid("messages[" + i + "].role",
                        "'messages[" + i + "].role' must be a string such as \"user\", \"assistant\" or \"system\".");
            }
        }
        JsonBodies.optionalBoolean(body, "stream");
        JsonBodies.optionalPositiveInt(body, "max_tokens");
        JsonBodies.optionalPositiveInt(body, "max_completion_tokens");
        JsonBodies.optionalPositiveInt(body, "n");
        JsonBodies.optionalPositiveInt(body, "best_of");
        if (body.hasNonNull("best_of") && body.get("best_of").asInt() < (body.hasNonNull("n") ? body.get("n").asInt() : 1)) {
            throw ApiException.invalid("best_of", "'best_of' must be at least 'n': it is how many completions are generated "
                    + "to return the best 'n'.");
        }
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull() && !streamOptions.isObject()) {
            throw ApiException.invalid("stream_options", "'stream_options' must be an object, e.g. {\"include_usage\": true}.");
        }
        return new ChatRequest(body);
    }

    public String model() {
        return body.get("model").asText();
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** Whether the caller asked for the separate usage chunk OpenAI sends before {@code [DONE]}. */
    public boolean wantsUsageChunk() {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    public JsonNode messages() {
        return body.get("messages");
    }

    public JsonNode tools() {
        return body.get("tools");
    }

    /**
     * How many completions the upstream generates for this request: {@code best_of} when given (it generates that
     * many and returns the best {@code n}), else {@code n}, else 1. The output bound of the hold is multiplied by it.
     */
    public int choices() {
        return Math.max(n(), bestOf());
    }

    /** {@code n}, 1 when absent. */
    public int n() {
        return body.hasNonNull("n") ? body.get("n").asInt() : 1;
    }

    /** {@code best_of}, 1 when absent. */
    public int bestOf() {
        return body.hasNonNull("best_of") ? body.get("best_of").asInt() : 1;
    }

    /** The top-level field names of the body, for the catalog's field policy. */
    public java.util.Iterator<String> fieldNames() {
        return body.fieldNames();
    }

    /** The field the caller used to bound output ({@code max_completion_tokens} wins, as at OpenAI). */
    public String maxTokensField() {
        return body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    }

    /** The caller's output bound, or 0 when none was given. */
    public int requestedMaxTokens() {
        return body.path(maxTokensField()).asInt(0);
    }

    /** A deep copy of the body, for rewriting towards the upstream. */
    public ObjectNode copyBody() {
        return body.deepCopy();
    }
}
