package dev.tollgate.chat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether an upstream answer is a well-formed chat completion (buffered) or chunk (streamed), as far as Tollgate
 * reads and relays it. An answer that is not is never passed on or billed as if it were: a malformed buffered
 * answer is a 502 and charges nothing, a malformed chunk ends the stream by the stream policy.
 */
final class ChunkShape {

    private static final String[] TEXT_FIELDS = {"content", "reasoning_content", "reasoning", "refusal"};

    private ChunkShape() {
    }

    /** What is wrong with a streamed chunk, or {@code null} if it is well formed. */
    static String chunkProblem(JsonNode chunk) {
        if (!chunk.isObject()) {
            return "an event that is not a JSON object";
        }
        String usage = usageProblem(chunk.get("usage"));
        if (usage != null) {
            return usage;
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || choices.isNull()) {
            return null;
        }
        if (!choices.isArray()) {
            return "'choices' that is not an array";
        }
        for (JsonNode choice : choices) {
            String problem = choiceProblem(choice, "delta");
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** What is wrong with a buffered completion, or {@code null} if it is well formed. */
    static String completionProblem(JsonNode completion) {
        if (!completion.isObject()) {
            return "a body that is not a JSON object";
        }
        JsonNode choices = completion.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return "no 'choices' array";
        }
        for (JsonNode choice : choices) {
            String problem = choiceProblem(choice, "message");
            if (problem != null) {
                return problem;
            }
        }
        return usageProblem(completion.get("usage"));
    }

    private static String choiceProblem(JsonNode choice, String messageField) {
        if (!choice.isObject()) {
            return "a choice that is not an object";
        }
        JsonNode message = choice.get(messageField);
        if (message == null || message.isNull()) {
            return null;
        }
        if (!message.isObject()) {
            return "a '" + messageField + "' that is not an object";
        }
        for (String field : TEXT_FIELDS) {
            JsonNode value = message.get(field);
            if (value != null && !value.isNull() && !value.isTextual() && !(field.equals("content") && value.isArray())) {
                return "a '" + messageField + "." + field + "' that is not a string";
            }
        }
        JsonNode legacyCall = message.get("function_call");
        if (legacyCall != null && !legacyCall.isNull() && !legacyCall.isObject()) {
            return "a 'function_call' that is not an object";
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            if (!calls.isArray()) {
                return "'tool_calls' that is not an array";
            }
            for (JsonNode call : calls) {
                JsonNode function = call.get("function");
                if (!call.isObject() || (function != null && !function.isNull() && !function.isObject())) {
                    return "a tool call that is not an object";
                }
            }
        }
        return null;
    }

    private static String usageProblem(JsonNode usage) {
        if (usage == null || usage.isNull()) {
            return null;
        }
        if (!usage.isObject()) {
            return "a 'usage' that is not an object";
        }
        for (String field : new String[] {"prompt_tokens", "completion_tokens"}) {
            JsonNode value = usage.get(field);
            if (value != null && !value.isNull() && !value.canConvertToLong()) {
                return "a 'usage." + field + "' that is not a whole number";
            }
        }
        return null;
    }
}
