package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A chat completion request as the caller sent it. The whole JSON body is kept, so fields Tollgate
 * does not model (tools, response_format, reasoning options, provider extras) reach the upstream
 * untouched. Only the fields Tollgate acts on are validated, each with a message naming the field.
 */
public final class ChatRequest {

    /** The model id that asks Tollgate to choose ({@code ""} does too). */
    public static final String AUTO = "auto";
    /** The most models a request may list in {@code models}. */
    public static final int MAX_MODELS = 8;

    private final ObjectNode body;
    private final List<String> models;
    private final MaxPrice maxPrice;

    private ChatRequest(ObjectNode body, List<String> models, MaxPrice maxPrice) {
        this.body = body;
        this.models = models;
        this.maxPrice = maxPrice;
    }

    public static ChatRequest parse(byte[] bytes, ObjectMapper json) {
        ObjectNode body = JsonBodies.object(bytes, json,
                "{\"model\": \"qwen3:latest\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}");
        List<String> models = models(body.get("models"));
        model(body, !models.isEmpty());
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
        return new ChatRequest(body, models, MaxPrice.parse(body.get("max_price")));
    }

    /**
     * {@code model} must be a non-blank id, {@code "auto"} or {@code ""} (both ask Tollgate to choose); it may be left
     * out only when {@code models} lists what to use.
     */
    private static void model(ObjectNode body, boolean hasModels) {
        JsonNode value = body.get("model");
        if ((value == null || value.isNull()) && hasModels) {
            return;
        }
        if (value == null || value.isNull()) {
            throw ApiException.invalid("model", "Missing required parameter: 'model'. Name a model from GET /v1/models, "
                    + "or \"auto\" to let Tollgate choose.");
        }
        if (!value.isTextual() || (value.asText().isBlank() && !value.asText().isEmpty())) {
            throw ApiException.invalid("model", "'model' must be a model id from GET /v1/models, or \"auto\".");
        }
    }

    /** {@code models}: the fallbacks tried in order after {@code model} (OpenRouter's convention). */
    private static List<String> models(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        String shape = "'models' must be an array of 1 to " + MAX_MODELS + " model ids, tried in order when an upstream "
                + "fails, e.g. [\"qwen3:latest\", \"gemma3:1b\"].";
        if (!value.isArray() || value.isEmpty() || value.size() > MAX_MODELS) {
            throw ApiException.invalid("models", shape);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode id = value.get(i);
            String param = "models[" + i + "]";
            if (!id.isTextual() || id.asText().isBlank()) {
                throw ApiException.invalid(param, "'" + param + "' must be a model id: " + shape);
            }
            if (id.asText().equals(AUTO)) {
                throw ApiException.invalid(param, "'" + param + "' is \"auto\", but 'models' lists specific models; "
                        + "put \"auto\" in 'model'.");
            }
            ids.add(id.asText());
        }
        return List.copyOf(ids);
    }

    /** The requested model id; {@code null} when left out (then {@link #fallbackModels()} is not empty). */
    public String model() {
        JsonNode value = body.get("model");
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Whether {@code model} asks Tollgate to choose: {@code "auto"} or {@code ""}. */
    public boolean wantsAuto() {
        String model = model();
        return model != null && (model.isEmpty() || model.equals(AUTO));
    }

    /** {@code models} without repeats, in order; empty when absent. */
    public List<String> fallbackModels() {
        return models;
    }

    /** {@code max_price}, or {@code null} when absent. */
    public MaxPrice maxPrice() {
        return maxPrice;
    }

    /** A top-level field as sent, or {@code null}: for reading only (the request is not copied). */
    public JsonNode field(String name) {
        return body.get(name);
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

    /** The request's cost ceiling and afford mode, from its body and {@code headers}; a bad value is a 400. */
    public SpendControls spendControls(SpendControls.Headers headers) {
        return SpendControls.of(body, headers);
    }

    /** A deep copy of the body, for rewriting towards the upstream. */
    public ObjectNode copyBody() {
        return body.deepCopy();
    }
}
