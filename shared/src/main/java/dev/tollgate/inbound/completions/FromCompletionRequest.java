package dev.tollgate.inbound.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.error.ApiException;
import dev.tollgate.openai.JsonBodies;
import dev.tollgate.openai.SpendControls;

/**
 * A legacy completion request → the internal chat request. The prompt becomes a single user message (chat models
 * apply their chat template to it, so the answer is a reply to the prompt rather than a raw continuation);
 * {@code max_tokens} defaults to 16 as at OpenAI. Sampling fields carry over; what chat cannot do
 * ({@code suffix}, {@code echo}, {@code logprobs}, several prompts, token-id prompts) is a 400 naming the field.
 */
public final class FromCompletionRequest {

    static final int DEFAULT_MAX_TOKENS = 16;
    private static final String[] CARRIED = {"temperature", "top_p", "n", "stop", "presence_penalty",
        "frequency_penalty", "seed", "user", "logit_bias", "stream_options"};

    private FromCompletionRequest() {
    }

    public static ObjectNode map(byte[] bytes, ObjectMapper json) {
        ObjectNode in = JsonBodies.object(bytes, json, "{\"model\": \"qwen3:latest\", \"prompt\": \"Say hello\"}");
        ObjectNode out = json.createObjectNode();
        out.put("model", JsonBodies.requireString(in, "model"));
        out.putArray("messages").addObject().put("role", "user").put("content", prompt(in.get("prompt")));
        JsonBodies.optionalPositiveInt(in, "max_tokens");
        out.put("max_tokens", in.hasNonNull("max_tokens") ? in.get("max_tokens").asInt() : DEFAULT_MAX_TOKENS);
        for (String refused : new String[] {"suffix", "logprobs"}) {
            if (in.hasNonNull(refused)) {
                throw ApiException.invalid(refused, "'" + refused + "' is not supported: completions are served by chat "
                        + "models here. Remove it.");
            }
        }
        if (in.path("echo").asBoolean(false)) {
            throw ApiException.invalid("echo", "'echo' is not supported: completions are served by chat models here.");
        }
        if (in.hasNonNull("best_of") && in.get("best_of").asInt(1) != 1) {
            throw ApiException.invalid("best_of", "'best_of' is not supported: use 'n' for several completions.");
        }
        for (String field : CARRIED) {
            if (in.hasNonNull(field)) {
                out.set(field, in.get(field));
            }
        }
        SpendControls.carry(in, out);
        JsonBodies.optionalBoolean(in, "stream");
        if (in.path("stream").asBoolean(false)) {
            out.put("stream", true);
        }
        return out;
    }

    private static String prompt(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            throw ApiException.invalid("prompt", "Missing required parameter: 'prompt' (a string).");
        }
        if (prompt.isTextual()) {
            return prompt.asText();
        }
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            return prompt.get(0).asText();
        }
        throw ApiException.invalid("prompt", "'prompt' must be a string (or an array of one string): send one prompt "
                + "per request; token-id prompts are not supported.");
    }
}
