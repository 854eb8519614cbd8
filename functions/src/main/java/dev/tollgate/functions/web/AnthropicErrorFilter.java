package dev.tollgate.functions.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.inbound.anthropic.AnthropicErrors;
import dev.tollgate.json.JsonBuffers;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * On Anthropic's routes every error answer, whoever made it (the auth filter's 401, the rate limit's 429, a
 * refused hold's 403, Micronaut's own 404/405/415), is rewritten from the OpenAI envelope into Anthropic's, with
 * the same status, headers and message: Anthropic's SDKs read {@code error.type}. One place, so no error path on
 * these routes can leak the other shape. It runs before the security phase, so it wraps the auth filter's answer.
 */
@ServerFilter({"/v1/messages", "/v1/messages/**"})
public class AnthropicErrorFilter implements Ordered {

    private static final ObjectMapper JSON = JsonBuffers.mapper();

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @ResponseFilter
    public void rewrite(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.code() < 400) {
            return;
        }
        JsonNode error = openAiError(response);
        if (error == null) {
            return;
        }
        byte[] body = AnthropicErrors.fromOpenAi(response.code(), error).toString().getBytes(StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<byte[]> bytes = (MutableHttpResponse<byte[]>) response;
        bytes.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static JsonNode openAiError(MutableHttpResponse<?> response) {
        Object body = response.getBody().orElse(null);
        try {
            JsonNode node = body instanceof byte[] raw ? JSON.readTree(raw)
                    : body instanceof CharSequence text ? JSON.readTree(text.toString()) : null;
            return node != null && node.path("error").isObject() ? node.get("error") : null;
        } catch (IOException e) {
            return null;
        }
    }
}
