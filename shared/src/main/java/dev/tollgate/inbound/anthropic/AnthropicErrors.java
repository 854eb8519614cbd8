package dev.tollgate.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Tollgate's errors in Anthropic's envelope, {@code {"type":"error","error":{"type":...,"message":...}}}, with the
 * error type Anthropic uses for each HTTP status (so its SDKs raise the matching exception). The status and the
 * message stay Tollgate's; the OpenAI {@code code} is kept as an extra field for clients that log it.
 */
public final class AnthropicErrors {

    private AnthropicErrors() {
    }

    public static String type(int status) {
        return switch (status) {
            case 400, 405, 409, 415 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /** The envelope for an OpenAI error object ({@code {"message","type","code","param"}}) answered with {@code status}. */
    public static ObjectNode fromOpenAi(int status, JsonNode openAiError) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode().put("type", "error");
        ObjectNode error = envelope.putObject("error");
        error.put("type", type(status));
        error.put("message", openAiError.path("message").asText("The request failed (HTTP " + status + ")."));
        JsonNode code = openAiError.get("code");
        if (code != null && code.isTextual()) {
            error.put("code", code.asText());
        }
        return envelope;
    }

    /** The HTTP status an OpenAI error object stands for, from its code, for errors sent mid-stream. */
    public static int statusOf(JsonNode openAiError) {
        return switch (openAiError.path("code").asText("")) {
            case "gateway_error" -> 502;
            case "service_unavailable" -> 503;
            case "rate_limit_exceeded" -> 429;
            default -> 500;
        };
    }
}
